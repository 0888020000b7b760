package fakefr

// Static data tables. Everything here is read-only after init; derived pick
// tables are built once in init so that the hot paths only index slices.

// city is a real French commune with some of its real postal codes and the
// local landline prefixes (the digits that follow "+33").
type city struct {
	name   string
	postal []string
	tel    []string
	weight int    // rough share of businesses, used to weight the pick
	de     string // "de Lyon", "d'Orléans", "du Havre": built in init
}

var cities = []city{
	{name: "Paris", tel: []string{"14", "15"}, weight: 24}, // postal 75001–75020 filled in init
	{name: "Marseille", tel: []string{"491"}, weight: 8},   // postal 13001–13016 filled in init
	{name: "Lyon", tel: []string{"472", "478"}, weight: 8}, // postal 69001–69009 filled in init
	{name: "Toulouse", postal: []string{"31000", "31100", "31200", "31300", "31400", "31500"}, tel: []string{"561", "562"}, weight: 6},
	{name: "Nice", postal: []string{"06000", "06100", "06200", "06300"}, tel: []string{"493", "492"}, weight: 5},
	{name: "Nantes", postal: []string{"44000", "44100", "44200", "44300"}, tel: []string{"240", "251"}, weight: 5},
	{name: "Strasbourg", postal: []string{"67000", "67100", "67200"}, tel: []string{"388"}, weight: 4},
	{name: "Montpellier", postal: []string{"34000", "34070", "34080", "34090"}, tel: []string{"467"}, weight: 4},
	{name: "Bordeaux", postal: []string{"33000", "33100", "33200", "33300", "33800"}, tel: []string{"556", "557"}, weight: 5},
	{name: "Lille", postal: []string{"59000", "59800"}, tel: []string{"320"}, weight: 4},
	{name: "Rennes", postal: []string{"35000", "35200", "35700"}, tel: []string{"299", "223"}, weight: 4},
	{name: "Reims", postal: []string{"51100"}, tel: []string{"326"}, weight: 2},
	{name: "Le Havre", postal: []string{"76600", "76610", "76620"}, tel: []string{"235"}, weight: 2},
	{name: "Saint-Étienne", postal: []string{"42000", "42100"}, tel: []string{"477"}, weight: 2},
	{name: "Toulon", postal: []string{"83000", "83100", "83200"}, tel: []string{"494"}, weight: 2},
	{name: "Grenoble", postal: []string{"38000", "38100"}, tel: []string{"476"}, weight: 3},
	{name: "Dijon", postal: []string{"21000"}, tel: []string{"380"}, weight: 2},
	{name: "Angers", postal: []string{"49000", "49100"}, tel: []string{"241"}, weight: 2},
	{name: "Nîmes", postal: []string{"30000", "30900"}, tel: []string{"466"}, weight: 2},
	{name: "Villeurbanne", postal: []string{"69100"}, tel: []string{"478", "472"}, weight: 2},
	{name: "Clermont-Ferrand", postal: []string{"63000", "63100"}, tel: []string{"473"}, weight: 2},
	{name: "Le Mans", postal: []string{"72000", "72100"}, tel: []string{"243"}, weight: 2},
	{name: "Aix-en-Provence", postal: []string{"13090", "13100"}, tel: []string{"442"}, weight: 2},
	{name: "Brest", postal: []string{"29200"}, tel: []string{"298"}, weight: 2},
	{name: "Tours", postal: []string{"37000", "37100", "37200"}, tel: []string{"247"}, weight: 2},
	{name: "Amiens", postal: []string{"80000", "80080", "80090"}, tel: []string{"322"}, weight: 2},
	{name: "Limoges", postal: []string{"87000", "87100", "87280"}, tel: []string{"555"}, weight: 2},
	{name: "Annecy", postal: []string{"74000"}, tel: []string{"450"}, weight: 1},
	{name: "Perpignan", postal: []string{"66000", "66100"}, tel: []string{"468"}, weight: 1},
	{name: "Boulogne-Billancourt", postal: []string{"92100"}, tel: []string{"146", "141"}, weight: 2},
	{name: "Metz", postal: []string{"57000", "57050", "57070"}, tel: []string{"387"}, weight: 2},
	{name: "Besançon", postal: []string{"25000"}, tel: []string{"381"}, weight: 1},
	{name: "Orléans", postal: []string{"45000", "45100"}, tel: []string{"238"}, weight: 2},
	{name: "Rouen", postal: []string{"76000", "76100"}, tel: []string{"235", "232"}, weight: 2},
	{name: "Mulhouse", postal: []string{"68100", "68200"}, tel: []string{"389"}, weight: 1},
	{name: "Caen", postal: []string{"14000"}, tel: []string{"231"}, weight: 2},
	{name: "Nancy", postal: []string{"54000", "54100"}, tel: []string{"383"}, weight: 2},
	{name: "Argenteuil", postal: []string{"95100"}, tel: []string{"139", "134"}, weight: 1},
	{name: "Montreuil", postal: []string{"93100"}, tel: []string{"148", "149"}, weight: 1},
	{name: "Saint-Denis", postal: []string{"93200", "93210"}, tel: []string{"149", "148"}, weight: 1},
	{name: "Avignon", postal: []string{"84000"}, tel: []string{"490"}, weight: 1},
	{name: "Poitiers", postal: []string{"86000"}, tel: []string{"549"}, weight: 1},
	{name: "Pau", postal: []string{"64000"}, tel: []string{"559"}, weight: 1},
	{name: "La Rochelle", postal: []string{"17000"}, tel: []string{"546"}, weight: 1},
	{name: "Bayonne", postal: []string{"64100"}, tel: []string{"559"}, weight: 1},
	{name: "Ajaccio", postal: []string{"20000", "20090"}, tel: []string{"495"}, weight: 1},
	{name: "Bastia", postal: []string{"20200", "20600"}, tel: []string{"495"}, weight: 1},
	{name: "Versailles", postal: []string{"78000"}, tel: []string{"139", "130"}, weight: 1},
	{name: "Nanterre", postal: []string{"92000"}, tel: []string{"147", "141"}, weight: 1},
	{name: "Créteil", postal: []string{"94000"}, tel: []string{"143", "145"}, weight: 1},
	{name: "Quimper", postal: []string{"29000"}, tel: []string{"298"}, weight: 1},
	{name: "Vannes", postal: []string{"56000"}, tel: []string{"297"}, weight: 1},
	{name: "Troyes", postal: []string{"10000"}, tel: []string{"325"}, weight: 1},
	{name: "Chambéry", postal: []string{"73000"}, tel: []string{"479"}, weight: 1},
	{name: "Valence", postal: []string{"26000"}, tel: []string{"475"}, weight: 1},
	{name: "Calais", postal: []string{"62100"}, tel: []string{"321"}, weight: 1},
	{name: "Dunkerque", postal: []string{"59140", "59240", "59640"}, tel: []string{"328"}, weight: 1},
	{name: "Colmar", postal: []string{"68000"}, tel: []string{"389"}, weight: 1},
	{name: "Lorient", postal: []string{"56100"}, tel: []string{"297"}, weight: 1},
	{name: "Saint-Malo", postal: []string{"35400"}, tel: []string{"299"}, weight: 1},
	{name: "Agen", postal: []string{"47000"}, tel: []string{"553"}, weight: 1},
	{name: "Périgueux", postal: []string{"24000"}, tel: []string{"553"}, weight: 1},
	{name: "Montauban", postal: []string{"82000"}, tel: []string{"563"}, weight: 1},
	{name: "Biarritz", postal: []string{"64200"}, tel: []string{"559"}, weight: 1},
	{name: "Cannes", postal: []string{"06400", "06150"}, tel: []string{"493"}, weight: 1},
	{name: "Niort", postal: []string{"79000"}, tel: []string{"549"}, weight: 1},
	{name: "Angoulême", postal: []string{"16000"}, tel: []string{"545"}, weight: 1},
	{name: "Chartres", postal: []string{"28000"}, tel: []string{"237"}, weight: 1},
	{name: "Bourges", postal: []string{"18000"}, tel: []string{"248"}, weight: 1},
	{name: "Blois", postal: []string{"41000"}, tel: []string{"254"}, weight: 1},
	{name: "Laval", postal: []string{"53000"}, tel: []string{"243"}, weight: 1},
	{name: "Béziers", postal: []string{"34500"}, tel: []string{"467"}, weight: 1},
	{name: "Arras", postal: []string{"62000"}, tel: []string{"321"}, weight: 1},
	{name: "Issy-les-Moulineaux", postal: []string{"92130"}, tel: []string{"146", "141"}, weight: 1},
	{name: "Neuilly-sur-Seine", postal: []string{"92200"}, tel: []string{"146", "147"}, weight: 1},
	{name: "Courbevoie", postal: []string{"92400"}, tel: []string{"147", "143"}, weight: 1},
	{name: "Vincennes", postal: []string{"94300"}, tel: []string{"143"}, weight: 1},
	{name: "Saint-Maur-des-Fossés", postal: []string{"94100", "94210"}, tel: []string{"148", "145"}, weight: 1},
	{name: "Saint-Nazaire", postal: []string{"44600"}, tel: []string{"240"}, weight: 1},
	{name: "Cholet", postal: []string{"49300"}, tel: []string{"241"}, weight: 1},
	{name: "Saint-Brieuc", postal: []string{"22000"}, tel: []string{"296"}, weight: 1},
	{name: "Évreux", postal: []string{"27000"}, tel: []string{"232"}, weight: 1},
	{name: "Auxerre", postal: []string{"89000"}, tel: []string{"386"}, weight: 1},
	{name: "Châlons-en-Champagne", postal: []string{"51000"}, tel: []string{"326"}, weight: 1},
	{name: "Épinal", postal: []string{"88000"}, tel: []string{"329"}, weight: 1},
}

// NAF rév. 2 codes (APE) used by the generator.
const (
	apeBoulangerie     = "10.71C" // Boulangerie et boulangerie-pâtisserie
	apePatisserie      = "10.71D" // Pâtisserie
	apeCharcuterie     = "10.13B" // Charcuterie
	apeVinification    = "11.02B" // Vinification
	apeCharpente       = "16.23Z" // Fabrication de charpentes et d'autres menuiseries
	apeImprimerie      = "18.12Z" // Autre imprimerie (labeur)
	apePharmaIndus     = "21.20Z" // Fabrication de préparations pharmaceutiques
	apeMecanique       = "25.62B" // Mécanique industrielle
	apeMaisons         = "41.20A" // Construction de maisons individuelles
	apeElectricite     = "43.21A" // Travaux d'installation électrique dans tous locaux
	apePlomberie       = "43.22A" // Travaux d'installation d'eau et de gaz
	apeChauffage       = "43.22B" // Travaux d'installation d'équipements thermiques
	apeMenuiserie      = "43.32A" // Travaux de menuiserie bois et PVC
	apePeinture        = "43.34Z" // Travaux de peinture et vitrerie
	apeCouverture      = "43.91B" // Travaux de couverture par éléments
	apeMaconnerie      = "43.99C" // Travaux de maçonnerie générale et gros œuvre
	apeVenteAuto       = "45.11Z" // Commerce de voitures et de véhicules automobiles légers
	apeGarage          = "45.20A" // Entretien et réparation de véhicules automobiles légers
	apeGrosBoissons    = "46.34Z" // Commerce de gros de boissons
	apeAlimGenerale    = "47.11B" // Commerce d'alimentation générale
	apeBoucherie       = "47.22Z" // Commerce de détail de viandes
	apePainDetail      = "47.24Z" // Commerce de détail de pain, pâtisserie et confiserie
	apeCaviste         = "47.25Z" // Commerce de détail de boissons
	apeAlimSpecialise  = "47.29Z" // Autres commerces de détail alimentaires spécialisés
	apeQuincaillerie   = "47.52A" // Commerce de détail de quincaillerie (< 400 m²)
	apeLibrairie       = "47.61Z" // Commerce de détail de livres
	apePharmacie       = "47.73Z" // Commerce de détail de produits pharmaceutiques
	apeMedical         = "47.74Z" // Commerce de détail d'articles médicaux et orthopédiques
	apeFleurs          = "47.76Z" // Commerce de détail de fleurs, plantes, graines
	apeOptique         = "47.78A" // Commerces de détail d'optique
	apeTaxis           = "49.32Z" // Transports de voyageurs par taxis
	apeFretInterurbain = "49.41A" // Transports routiers de fret interurbains
	apeFretProximite   = "49.41B" // Transports routiers de fret de proximité
	apeHotel           = "55.10Z" // Hôtels et hébergement similaire
	apeRestaurant      = "56.10A" // Restauration traditionnelle
	apeDebitBoissons   = "56.30Z" // Débits de boissons
	apeProgrammation   = "62.01Z" // Programmation informatique
	apeConseilInfo     = "62.02A" // Conseil en systèmes et logiciels informatiques
	apeHolding         = "64.20Z" // Activités des sociétés holding
	apeCourtageAssur   = "66.22Z" // Activités des agents et courtiers d'assurances
	apeGestionFonds    = "66.30Z" // Gestion de fonds
	apeAgenceImmo      = "68.31Z" // Agences immobilières
	apeJuridique       = "69.10Z" // Activités juridiques
	apeComptable       = "69.20Z" // Activités comptables
	apeSieges          = "70.10Z" // Activités des sièges sociaux
	apeConseilGestion  = "70.22Z" // Conseil pour les affaires et autres conseils de gestion
	apeArchitecture    = "71.11Z" // Activités d'architecture
	apeIngenierie      = "71.12B" // Ingénierie, études techniques
	apeRecherche       = "72.19Z" // Recherche-développement en autres sciences physiques et naturelles
	apePublicite       = "73.11Z" // Activités des agences de publicité
	apeDesign          = "74.10Z" // Activités spécialisées de design
	apePhoto           = "74.20Z" // Activités photographiques
	apeSecurite        = "80.10Z" // Activités de sécurité privée
	apeNettoyage       = "81.21Z" // Nettoyage courant des bâtiments
	apePaysage         = "81.30Z" // Services d'aménagement paysager
	apeAutoEcole       = "85.53Z" // Enseignement de la conduite
	apeFormation       = "85.59A" // Formation continue d'adultes
	apeAmbulances      = "86.90A" // Ambulances
	apeReparationInfo  = "95.11Z" // Réparation d'ordinateurs et d'équipements périphériques
	apeCoiffure        = "96.02A" // Coiffure
)

// allAPE is every code above; generic names ("Société", "Groupe"...) pick
// from it.
var allAPE = []string{
	apeBoulangerie, apePatisserie, apeCharcuterie, apeVinification, apeCharpente,
	apeImprimerie, apePharmaIndus, apeMecanique, apeMaisons, apeElectricite,
	apePlomberie, apeChauffage, apeMenuiserie, apePeinture, apeCouverture,
	apeMaconnerie, apeVenteAuto, apeGarage, apeGrosBoissons, apeAlimGenerale,
	apeBoucherie, apePainDetail, apeCaviste, apeAlimSpecialise, apeQuincaillerie,
	apeLibrairie, apePharmacie, apeMedical, apeFleurs, apeOptique, apeTaxis,
	apeFretInterurbain, apeFretProximite, apeHotel, apeRestaurant, apeDebitBoissons,
	apeProgrammation, apeConseilInfo, apeHolding, apeCourtageAssur, apeGestionFonds,
	apeAgenceImmo, apeJuridique, apeComptable, apeSieges, apeConseilGestion,
	apeArchitecture, apeIngenierie, apeRecherche, apePublicite, apeDesign, apePhoto,
	apeSecurite, apeNettoyage, apePaysage, apeAutoEcole, apeFormation, apeAmbulances,
	apeReparationInfo, apeCoiffure,
}

var apeBatiment = []string{apeMaisons, apeMaconnerie, apeElectricite, apePlomberie, apeMenuiserie, apePeinture, apeCouverture}

// trade is a name prefix such as "Boulangerie" with the activities it implies.
// A nil apes means any code.
type trade struct {
	word    string
	apes    []string
	weight  int
	liberal bool // professions that often use a SELARL
}

var trades = []trade{
	{word: "Établissements", weight: 6},
	{word: "Société", weight: 4},
	{word: "Groupe", apes: []string{apeHolding, apeSieges}, weight: 2},
	{word: "Maison", apes: []string{apeBoulangerie, apePatisserie, apeCharcuterie, apeCaviste, apeRestaurant, apeAlimSpecialise}, weight: 2},
	{word: "Entreprise", apes: apeBatiment, weight: 3},
	{word: "Ateliers", apes: []string{apeMecanique, apeMenuiserie, apeCharpente, apeImprimerie}, weight: 1},
	{word: "Cabinet", apes: []string{apeComptable, apeJuridique, apeConseilGestion, apeCourtageAssur}, weight: 3, liberal: true},
	{word: "Garage", apes: []string{apeGarage}, weight: 3},
	{word: "Automobiles", apes: []string{apeVenteAuto, apeGarage}, weight: 1},
	{word: "Boulangerie", apes: []string{apeBoulangerie, apePainDetail}, weight: 3},
	{word: "Pâtisserie", apes: []string{apePatisserie, apePainDetail}, weight: 1},
	{word: "Boucherie", apes: []string{apeBoucherie}, weight: 1},
	{word: "Charcuterie", apes: []string{apeCharcuterie}, weight: 1},
	{word: "Fromagerie", apes: []string{apeAlimSpecialise}, weight: 1},
	{word: "Épicerie", apes: []string{apeAlimGenerale}, weight: 1},
	{word: "Pharmacie", apes: []string{apePharmacie}, weight: 2, liberal: true},
	{word: "Laboratoires", apes: []string{apeRecherche, apePharmaIndus}, weight: 1},
	{word: "Optique", apes: []string{apeOptique}, weight: 1},
	{word: "Transports", apes: []string{apeFretInterurbain, apeFretProximite}, weight: 3},
	{word: "Taxis", apes: []string{apeTaxis}, weight: 1},
	{word: "Ambulances", apes: []string{apeAmbulances}, weight: 1},
	{word: "Menuiserie", apes: []string{apeMenuiserie, apeCharpente}, weight: 2},
	{word: "Charpentes", apes: []string{apeCharpente}, weight: 1},
	{word: "Imprimerie", apes: []string{apeImprimerie}, weight: 1},
	{word: "Plomberie", apes: []string{apePlomberie}, weight: 2},
	{word: "Chauffage", apes: []string{apeChauffage}, weight: 1},
	{word: "Électricité", apes: []string{apeElectricite}, weight: 1},
	{word: "Maçonnerie", apes: []string{apeMaconnerie}, weight: 2},
	{word: "Couverture", apes: []string{apeCouverture}, weight: 1},
	{word: "Peinture", apes: []string{apePeinture}, weight: 1},
	{word: "Constructions", apes: []string{apeMaisons, apeMaconnerie}, weight: 1},
	{word: "Hôtel", apes: []string{apeHotel}, weight: 1},
	{word: "Restaurant", apes: []string{apeRestaurant}, weight: 2},
	{word: "Brasserie", apes: []string{apeRestaurant, apeDebitBoissons}, weight: 1},
	{word: "Café", apes: []string{apeDebitBoissons}, weight: 1},
	{word: "Caves", apes: []string{apeCaviste, apeGrosBoissons}, weight: 1},
	{word: "Domaine", apes: []string{apeVinification}, weight: 1},
	{word: "Librairie", apes: []string{apeLibrairie}, weight: 1},
	{word: "Quincaillerie", apes: []string{apeQuincaillerie}, weight: 1},
	{word: "Coiffure", apes: []string{apeCoiffure}, weight: 1},
	{word: "Fleurs", apes: []string{apeFleurs}, weight: 1},
	{word: "Auto-École", apes: []string{apeAutoEcole}, weight: 1},
	{word: "Espaces Verts", apes: []string{apePaysage}, weight: 1},
	{word: "Nettoyage", apes: []string{apeNettoyage}, weight: 1},
	{word: "Agence", apes: []string{apeAgenceImmo, apePublicite}, weight: 2},
	{word: "Bureau d'Études", apes: []string{apeIngenierie}, weight: 1},
	{word: "Atelier d'Architecture", apes: []string{apeArchitecture}, weight: 1},
	{word: "Studio", apes: []string{apePhoto, apeDesign}, weight: 1},
	{word: "Informatique", apes: []string{apeReparationInfo, apeConseilInfo}, weight: 1},
	{word: "Mécanique", apes: []string{apeMecanique}, weight: 1},
}

// sector is a trailing activity word: "Dupont Immobilier", "Novalis Conseil".
type sector struct {
	word string
	apes []string
}

var sectors = []sector{
	{" Conseil", []string{apeConseilGestion, apeConseilInfo}},
	{" Technologies", []string{apeProgrammation, apeConseilInfo}},
	{" Solutions", []string{apeProgrammation, apeConseilInfo, apeConseilGestion}},
	{" Services", nil},
	{" Ingénierie", []string{apeIngenierie}},
	{" Systèmes", []string{apeProgrammation, apeReparationInfo}},
	{" Digital", []string{apeProgrammation, apePublicite}},
	{" Informatique", []string{apeConseilInfo, apeReparationInfo}},
	{" Immobilier", []string{apeAgenceImmo}},
	{" Patrimoine", []string{apeGestionFonds, apeHolding}},
	{" Finance", []string{apeHolding, apeGestionFonds}},
	{" Assurances", []string{apeCourtageAssur}},
	{" Expertise", []string{apeComptable}},
	{" Audit", []string{apeComptable}},
	{" Avocats", []string{apeJuridique}},
	{" Architectes", []string{apeArchitecture}},
	{" Énergie", []string{apeElectricite, apeChauffage}},
	{" Énergies", []string{apeElectricite, apeChauffage}},
	{" Habitat", apeBatiment},
	{" Bâtiment", apeBatiment},
	{" Rénovation", apeBatiment},
	{" Santé", []string{apeMedical}},
	{" Logistique", []string{apeFretInterurbain, apeFretProximite}},
	{" Environnement", []string{apePaysage, apeNettoyage}},
	{" Industries", []string{apeMecanique}},
	{" Industrie", []string{apeMecanique}},
	{" Distribution", []string{apeGrosBoissons, apeAlimGenerale}},
	{" Automobiles", []string{apeVenteAuto, apeGarage}},
	{" Formation", []string{apeFormation}},
	{" Sécurité", []string{apeSecurite}},
	{" Communication", []string{apePublicite}},
	{" Design", []string{apeDesign}},
	{" Développement", []string{apeConseilGestion}},
	{" Gestion", []string{apeComptable, apeConseilGestion}},
	{" Groupe", []string{apeHolding, apeSieges}},
	{" Participations", []string{apeHolding}},
}

// suffix follows "<trade> <surname>": "Transports Müller & Fils".
type suffix struct {
	text  string
	legal bool // the suffix already is the legal form
}

var suffixes = []suffix{
	{" & Fils", false},
	{" & Fils", false},
	{" et Fils", false},
	{" Fils", false},
	{" Frères", false},
	{" Frères", false},
	{" Père & Fils", false},
	{" Père et Fils", false},
	{" Mère & Fille", false},
	{" & Fille", false},
	{" Sœurs", false},
	{" & Cie", false},
	{" et Compagnie", false},
	{" et Associés", false},
	{" & Associés", false},
	{" SA", true},
	{" SARL", true},
	{" SAS", true},
	{" SAS", true},
}

// places complete "<trade> <place>": "Pharmacie du Centre".
var places = []string{
	"du Centre", "de la Gare", "des Halles", "du Port", "de la Mairie", "du Marché",
	"de la Place", "du Château", "de l'Église", "du Moulin", "des Alpes", "de Provence",
	"de Bretagne", "de Normandie", "de l'Ouest", "du Sud-Ouest", "de l'Est", "du Lac",
	"de la Plage", "du Pont", "des Arts", "de la Cathédrale", "du Parc", "des Remparts",
	"de la Vallée", "du Vieux-Port", "des Quatre-Chemins", "du Rond-Point", "de la Poste",
	"du Pays Basque", "de Savoie", "d'Alsace", "du Languedoc", "de l'Atlantique",
	"des Vosges", "du Jura", "de la Côte d'Azur", "du Lion d'Or", "de l'Avenir", "Saint-Michel",
}

// heads start "L'Atelier du Meuble"-style names.
type head struct {
	word string
	apes []string
}

var heads = []head{
	{"L'Atelier", []string{apeMenuiserie, apeDesign, apeMecanique}},
	{"La Maison", []string{apeAlimSpecialise, apeBoulangerie, apeAgenceImmo}},
	{"Le Comptoir", []string{apeAlimSpecialise, apeGrosBoissons, apeDebitBoissons}},
	{"La Fabrique", []string{apeDesign, apeMenuiserie, apePatisserie}},
	{"Les Jardins", []string{apePaysage, apeFleurs}},
	{"L'Épicerie", []string{apeAlimGenerale}},
	{"Le Fournil", []string{apeBoulangerie}},
	{"La Cave", []string{apeCaviste}},
	{"Le Relais", []string{apeHotel, apeRestaurant}},
	{"Les Ateliers", []string{apeMecanique, apeMenuiserie, apeImprimerie}},
	{"La Boutique", []string{apeAlimSpecialise, apeFleurs, apeOptique}},
	{"Le Cellier", []string{apeCaviste}},
	{"L'Espace", []string{apeCoiffure, apeFormation, apeMedical}},
	{"Le Grenier", []string{apeQuincaillerie, apeAlimSpecialise}},
	{"La Table", []string{apeRestaurant}},
	{"Le Bistrot", []string{apeRestaurant, apeDebitBoissons}},
	{"L'Auberge", []string{apeRestaurant, apeHotel}},
	{"La Forge", []string{apeMecanique}},
	{"Le Moulin", []string{apeBoulangerie, apeRestaurant}},
	{"La Cour", []string{apeRestaurant, apeDesign}},
	{"Le Petit Marché", []string{apeAlimGenerale}},
	{"La Brûlerie", []string{apeAlimSpecialise}},
	{"Le Jardin", []string{apeFleurs, apePaysage, apeRestaurant}},
	{"L'Hôtel", []string{apeHotel}},
}

var complements = []string{
	"du Meuble", "du Bois", "de la Mer", "des Saveurs", "du Pain", "de l'Habitat",
	"du Vin", "du Terroir", "des Artisans", "du Lac", "des Îles", "d'Antan", "du Sud",
	"de la Pierre", "du Cuir", "du Verre", "des Sens", "de la Mode", "des Fleurs",
	"du Goût", "de la Création", "de l'Image", "du Sommeil", "du Cycle", "de la Forêt",
	"de l'Étang", "du Bœuf", "des Gourmets", "du Fromager", "des Épices", "du Café",
	"de la Tour", "des Canuts", "du Patrimoine", "des Délices", "du Papier", "du Fer",
}

// Coined brand names: start + [middle] + end, e.g. "Novalitec".
var coinStarts = []string{
	"Nova", "Alti", "Eco", "Terra", "Medi", "Opti", "Quali", "Maxi", "Multi", "Euro",
	"Atla", "Armo", "Occi", "Pro", "Forma", "Techno", "Info", "Logi", "Habi", "Domi",
	"Ener", "Clima", "Hydro", "Agri", "Bati", "Ima", "Sigma", "Orio", "Kéo", "Arvé",
	"Eclé", "Avé", "Solu", "Viva", "Ori", "Azu", "Cera", "Ingé", "Ocea", "Ventu",
	"Alpi", "Provi", "Sylva", "Lumi", "Stra", "Vala", "Cité", "Géo", "Méta", "Poly",
}

var coinMiddles = []string{"ra", "li", "ti", "no", "va", "ma", "lo", "ne", "ri", "so", "té", "do"}

var coinEnds = []string{
	"lis", "tec", "com", "via", "sys", "nov", "rys", "ne", "dis", "ris", "tis", "vance",
	"lia", "ra", "gy", "max", "plus", "tel", "log", "dia", "nea", "lya", "rium", "sens",
	"lab", "tys", "vest", "pol", "ral", "mat",
}

// Wine and terroir names: "Œnologie Côte-Rôtie".
var wineHeads = []string{"Œnologie", "Vins", "Caves", "Domaine", "Château", "Vignobles", "Clos"}

var appellations = []string{
	"Côte-Rôtie", "Saint-Émilion", "Châteauneuf-du-Pape", "Pouilly-Fumé", "Médoc",
	"Crozes-Hermitage", "Gevrey-Chambertin", "Côtes-du-Rhône", "Pessac-Léognan", "Vouvray",
	"Sancerre", "Chablis", "Meursault", "Gigondas", "Cahors", "Pomerol", "Saint-Joseph",
	"Condrieu", "Bandol", "Madiran", "Jurançon", "Muscadet", "Bourgueil", "Chinon",
	"Côte de Beaune", "Entre-Deux-Mers", "Saint-Véran", "Mâcon-Villages", "Fleurie", "Morgon",
}

var wineAPE = []string{apeVinification, apeCaviste, apeGrosBoissons}

var chezAPE = []string{apeRestaurant, apeDebitBoissons}

// Legal forms with weights (sum 100).
var legalForms = []struct {
	form   string
	weight int
}{
	{"SAS", 34}, {"SARL", 30}, {"SASU", 12}, {"EURL", 10}, {"SA", 8}, {"SNC", 4}, {"SCOP SARL", 2},
}

// Streets.
var streetTypes = []struct {
	word   string
	weight int
}{
	{"rue", 50}, {"avenue", 15}, {"boulevard", 8}, {"place", 4}, {"allée", 6},
	{"chemin", 6}, {"impasse", 5}, {"quai", 2}, {"route", 4},
}

var streetNames = []string{
	"de la République", "Victor Hugo", "Jean Jaurès", "des Écoles", "du Général de Gaulle",
	"Pasteur", "de l'Église", "des Lilas", "de la Gare", "du Moulin", "Gambetta", "Carnot",
	"du Maréchal Foch", "de la Liberté", "des Tilleuls", "du 8 Mai 1945", "du 11 Novembre 1918",
	"de la Paix", "Émile Zola", "Jules Ferry", "Voltaire", "Jean Moulin", "de Verdun",
	"du Stade", "des Acacias", "des Peupliers", "de la Mairie", "du Château", "Saint-Martin",
	"Anatole France", "Molière", "Marcel Pagnol", "Georges Clemenceau", "Aristide Briand",
	"de la Fontaine", "des Roses", "du Commerce", "de l'Industrie", "des Vignes", "du Marché",
	"Lamartine", "Paul Bert", "d'Alsace-Lorraine", "de Strasbourg", "Hoche", "Jeanne d'Arc",
	"Sainte-Catherine", "des Chênes", "du Maréchal Leclerc", "de Lattre de Tassigny",
	"Pierre et Marie Curie", "Édouard Herriot", "de l'Hôtel de Ville", "des Forges",
	"de la Poste", "des Prés", "Louis Blériot", "Albert Camus", "Frédéric Mistral",
	"des Mimosas", "de l'Abbaye", "du Four", "des Marronniers", "Henri Barbusse",
	"Gustave Eiffel", "des Cordeliers", "Lafayette", "Nationale", "de Bretagne", "des Jardins",
}

var routeNames = []string{
	"de Paris", "de Lyon", "de Toulouse", "Nationale", "de la Plage", "des Vins", "de Bretagne",
	"de Strasbourg", "du Lac", "de la Forêt", "de Grenoble", "d'Orléans", "de Bordeaux", "des Crêtes",
}

var quaiNames = []string{
	"Saint-Pierre", "de la Loire", "du Port", "des Bateliers", "Voltaire", "des Chartrons",
	"de la Fosse", "Saint-Antoine", "du Rhône", "de la Seine", "des Belges", "de la Douane",
}

var line2Zones = []string{
	"ZI des Pins", "ZI du Moulin", "ZI de la Plaine", "ZI Nord", "ZI Sud", "ZI des Paluds",
	"ZA du Bois Joli", "ZA des Landes", "ZA de la Croix Blanche", "ZA les Portes du Sud",
	"ZAC des Champs", "ZAC du Parc", "Parc d'activités de la Vallée", "Parc d'activités des Érables",
	"Technopôle Sud", "Espace Saint-Germain", "Centre d'affaires du Lac", "Les Bureaux du Parc",
	"Résidence Les Tilleuls", "Résidence Le Clos Fleuri", "Résidence du Château", "Immeuble Le Méridien",
	"Hameau de la Côte", "Lieu-dit Les Granges",
}

// People.
var lastNames = []string{
	"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
	"Laurent", "Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
	"Fournier", "Girard", "Bonnet", "Dupont", "Dupond", "Lambert", "Fontaine", "Rousseau", "Vincent",
	"Müller", "Lefèvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
	"Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
	"Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand",
	"Duval", "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier",
	"Brun", "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard",
	"Barbier", "Arnaud", "Martinez", "Gérard", "Roche", "Renard", "Schmitt", "Roy", "Leroux",
	"Colin", "Vidal", "Caron", "Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud",
	"Dumas", "Lacroix", "Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey",
	"Leclerc", "Payet", "Rolland", "Leclercq", "Guillaume", "Lecomte", "Lopez", "Jean",
	"Dupuy", "Guillot", "Hubert", "Berger", "Carpentier", "Sanchez", "Dupuis", "Moulin",
	"Louis", "Deschamps", "Huet", "Vasseur", "Perez", "Boucher", "Fleury", "Royer", "Klein",
	"Jacquet", "Adam", "Paris", "Poirier", "Marty", "Aubry", "Guyot", "Carré", "Charles",
	"Renault", "Charpentier", "Ménard", "Maillard", "Baron", "Bertin", "Bailly", "Hervé",
	"Schneider", "Fernandez", "Le Gall", "Collet", "Léger", "Bouvier", "Julien", "Prévost",
	"Millet", "Perrot", "Daniel", "Le Roux", "Cousin", "Germain", "Breton", "Besson",
	"Langlois", "Rémy", "Le Goff", "Pelletier", "Lévêque", "Perrier", "Leblanc", "Barré",
	"Lebrun", "Marchal", "Weber", "Mallet", "Hamon", "Boulanger", "Jacob", "Monnier",
	"Michaud", "Rodriguez", "Guichard", "Gillet", "Étienne", "Grondin", "Poulain", "Tessier",
	"Chevallier", "Collin", "Chauvin", "Da Silva", "Bouchet", "Gay", "Lemaître", "Bénard",
	"Maréchal", "Humbert", "Reynaud", "Antoine", "Hoarau", "Perret", "Barthélemy", "Cordier",
	"Pichon", "Lejeune", "Gilbert", "Lamy", "Delaunay", "Pasquier", "Carlier", "Laporte",
	"Béranger", "N'Diaye", "d'Arcy", "Diallo", "Traoré", "Nguyen", "Haddad", "Benali",
	"Mansouri", "Cohen", "Lévy", "Dos Santos", "Ferreira", "Pereira", "Rossi", "Ricci",
	"Lefort", "Delorme", "Delmas", "Lebon", "Tanguy", "Le Bihan", "Le Floc'h", "Le Guen",
	"Le Corre", "Le Meur", "Quéré", "Le Berre", "Guéguen", "Kervella", "Riou", "Fischer",
	"Wagner", "Hoffmann", "Zimmermann", "Koenig", "Santoni", "Mattei", "Luciani",
	"Giudicelli", "Casanova", "Pietri", "Delpech", "Sabatier", "Bousquet", "Castagné",
	"Lafont", "Peyrot", "Cazenave", "Labat", "Laborde", "Darrieux", "Etcheverry", "Irigoyen",
	"Février", "Chrétien", "Hébert", "Thérond", "Pélissier", "Crémieux", "Régnier", "Séguin",
	"Aubé", "Brûlé", "Côté", "Frémont", "Déprez", "Hélie", "d'Aubigny", "d'Ornano",
	"Bérard", "Besnard", "Bigot", "Blondel", "Bodin", "Bonneau", "Boutin", "Bouvet", "Briand",
	"Brunel", "Buisson", "Camus", "Chapuis", "Charrier", "Chauveau", "Cheval", "Clerc",
	"Coste", "Courtois", "Couturier", "Descamps", "Devaux", "Didier", "Drouet", "Dubreuil",
	"Ducret", "Dumoulin", "Evrard", "Ferrand", "Fouquet", "Gallet", "Gaudin", "Geoffroy",
	"Gimenez", "Godard", "Gomez", "Grégoire", "Grenier", "Guibert", "Guillon", "Guyon",
	"Hardy", "Hamel", "Imbert", "Jacques", "Jourdan", "Laine", "Lagarde", "Langlais",
	"Laurens", "Lebreton", "Leconte", "Lemonnier", "Léon", "Leveque", "Lorin", "Loiseau",
	"Maillet", "Marion", "Marques", "Maurin", "Merle", "Millot", "Moine", "Mouton", "Navarro",
	"Ollivier", "Pages", "Paul", "Pineau", "Poulet", "Raynaud", "Renou", "Rigaud", "Rivet",
	"Rocher", "Rondeau", "Rousset", "Salmon", "Texier", "Thibault", "Tournier", "Vaillant",
	"Valentin", "Verdier", "Vial", "Voisin", "Baudry", "Bazin", "Bonnin", "Delattre",
	"Desbois", "Favre", "Fontaine-Lebrun", "Guillemin", "Jolivet", "Lemaréchal", "Marchais",
	"Ouvrard", "Pinçon", "Queffélec", "Sauvage", "Thévenin", "Vallée", "Védrine", "Villeneuve",
	"Aumont", "Barreau", "Beaumont", "Chevrier", "Corbin", "Delacroix", "Dufresne",
	"Faucher", "Giraudeau", "Héraud", "Jaouen", "Labbé", "Lemercier", "Mahé", "Nédélec",
	"Pottier", "Raffin", "Sarrazin", "Tardieu", "Vernier", "Wolff", "Zeller", "Ben Saïd",
	"Bensaïd", "Benhamou", "Chérif", "Lemoël", "Daguerre", "Béchet", "Thiébaut", "Maître",
	"Leprêtre", "Ducôté", "Crépin", "Gérault", "Hénault", "Désiré", "Jégou", "Kerbrat",
}

var femaleFirstNames = []string{
	"Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Christine",
	"Sandrine", "Valérie", "Véronique", "Stéphanie", "Céline", "Aurélie", "Émilie", "Julie",
	"Camille", "Léa", "Manon", "Chloé", "Sarah", "Laura", "Pauline", "Marine", "Mathilde",
	"Élodie", "Anaïs", "Gaëlle", "Zoé", "Hélène", "Clémence", "Inès", "Océane", "Maëlle",
	"Noémie", "Agnès", "Béatrice", "Cécile", "Danièle", "Delphine", "Élise", "Estelle",
	"Florence", "Geneviève", "Joëlle", "Josiane", "Lætitia", "Léonie", "Lucie", "Margaux",
	"Mélanie", "Mélissa", "Mireille", "Monique", "Muriel", "Nadège", "Noëlle", "Perrine",
	"Rachel", "Régine", "Sophie", "Solène", "Séverine", "Thérèse", "Virginie", "Yasmine",
	"Fatima", "Amélie", "Anne", "Audrey", "Bérénice", "Capucine", "Charlotte", "Claire",
	"Coralie", "Emma", "Éva", "Jade", "Juliette", "Justine", "Louise", "Maud", "Maëva",
	"Nina", "Ophélie", "Romane", "Salomé", "Héloïse", "Jeanne", "Alice", "Adèle", "Aude",
	"Albane", "Annabelle", "Rose", "Marie-Hélène", "Marie-Claire", "Anne-Sophie",
	"Marie-Christine", "Marie-Laure", "Anne-Laure", "Marie-Noëlle", "Marie-Pierre",
}

var maleFirstNames = []string{
	"Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas", "Christophe",
	"Laurent", "Frédéric", "Stéphane", "Éric", "Sébastien", "David", "Julien", "Thomas",
	"Antoine", "Maxime", "Alexandre", "Mathieu", "Guillaume", "Romain", "Hugo", "Lucas",
	"Louis", "Jules", "Gabriel", "Raphaël", "Arthur", "Léo", "Nathan", "Théo", "Enzo",
	"Clément", "Jérôme", "François", "Loïc", "Noël", "Benoît", "Gaël", "Hervé", "Joël",
	"Régis", "Rémi", "Cédric", "Aurélien", "Bastien", "Benjamin", "Bruno", "Cyril",
	"Damien", "Didier", "Dominique", "Emmanuel", "Fabrice", "Florian", "Franck", "Gilles",
	"Grégory", "Henri", "Jacques", "Jonathan", "Kévin", "Lionel", "Marc", "Mathis",
	"Mickaël", "Olivier", "Pascal", "Quentin", "Raymond", "René", "Serge", "Thierry",
	"Vincent", "Xavier", "Yannick", "Yves", "Anthony", "Adrien", "Baptiste", "Bertrand",
	"Charles", "Denis", "Étienne", "Fabien", "Gérard", "Jérémy", "Ludovic", "Mehdi",
	"Karim", "Samuel", "Sylvain", "Timothée", "Valentin", "Victor", "Yann", "Jean-Pierre",
	"Jean-Marc", "Jean-Luc", "Jean-François", "Pierre-Yves", "Jean-Baptiste", "Jean-Michel",
	"Jean-Claude", "Paul-Henri", "Aymeric", "Côme",
}

// jobTitles are {masculine, feminine} forms.
var jobTitles = [][2]string{
	{"Directeur général", "Directrice générale"},
	{"Directeur commercial", "Directrice commerciale"},
	{"Responsable achats", "Responsable achats"},
	{"Gérant", "Gérante"},
	{"Co-gérant", "Co-gérante"},
	{"Président", "Présidente"},
	{"Comptable", "Comptable"},
	{"Assistant de direction", "Assistante de direction"},
	{"Chef de projet", "Cheffe de projet"},
	{"Ingénieur commercial", "Ingénieure commerciale"},
	{"Directeur administratif et financier", "Directrice administrative et financière"},
	{"Responsable des ressources humaines", "Responsable des ressources humaines"},
	{"Chargé de clientèle", "Chargée de clientèle"},
	{"Technicien de maintenance", "Technicienne de maintenance"},
	{"Acheteur", "Acheteuse"},
	{"Responsable logistique", "Responsable logistique"},
	{"Secrétaire", "Secrétaire"},
	{"Office manager", "Office manager"},
	{"Responsable qualité", "Responsable qualité"},
	{"Directeur technique", "Directrice technique"},
	{"Attaché commercial", "Attachée commerciale"},
	{"Responsable marketing", "Responsable marketing"},
	{"Contrôleur de gestion", "Contrôleuse de gestion"},
	{"Juriste", "Juriste"},
	{"Responsable informatique", "Responsable informatique"},
	{"Directeur des systèmes d'information", "Directrice des systèmes d'information"},
	{"Chef d'atelier", "Cheffe d'atelier"},
	{"Conducteur de travaux", "Conductrice de travaux"},
	{"Expert-comptable", "Experte-comptable"},
	{"Responsable d'agence", "Responsable d'agence"},
	{"Commercial sédentaire", "Commerciale sédentaire"},
	{"Responsable service client", "Responsable service client"},
	{"Associé", "Associée"},
	{"Directeur d'exploitation", "Directrice d'exploitation"},
	{"Responsable administratif", "Responsable administrative"},
	{"Chef des ventes", "Cheffe des ventes"},
	{"Responsable comptable", "Responsable comptable"},
	{"Assistant commercial", "Assistante commerciale"},
	{"Directeur de magasin", "Directrice de magasin"},
	{"Approvisionneur", "Approvisionneuse"},
}

var webmailDomains = []string{"gmail.com", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "outlook.fr", "wanadoo.fr", "yahoo.fr"}
