package addressbook

import "net/url"

// PhoneURI returns the direct line, or else the mobile, as a tel: URI.
// Numbers are stored in E.164, which is the international form RFC 3966
// asks for.
func PhoneURI(directLine, mobile *string) *string {
	for _, n := range []*string{directLine, mobile} {
		if n != nil && *n != "" {
			u := "tel:" + *n
			return &u
		}
	}
	return nil
}

// MailtoURI returns an e-mail address as a mailto: URI (RFC 6068).
func MailtoURI(email *string) *string {
	if email == nil || *email == "" {
		return nil
	}
	u := (&url.URL{Scheme: "mailto", Opaque: url.PathEscape(*email)}).String()
	return &u
}
