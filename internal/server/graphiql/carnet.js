// Carnet's GraphiQL page: GraphiQL with the bearer-token header to fill
// in, the schema fetched again when the headers change (introspection
// needs the token), and headers (the token) kept out of localStorage,
// history included, unless the user turns "Persist headers" on in
// GraphiQL's settings.
(function () {
  'use strict';
  var root = document.getElementById('graphiql');
  var endpoint = root.getAttribute('data-endpoint');
  var headers = root.getAttribute('data-headers');
  var query = root.getAttribute('data-query');
  var h = React.createElement;

  // GraphiQL's own key for its "Persist headers" setting: the choice the
  // user made there stays across reloads; off by default.
  function persisting() {
    try {
      return window.localStorage.getItem('graphiql:shouldPersistHeaders') === 'true';
    } catch (e) {
      return false;
    }
  }

  // withoutHeaders drops the headers of the entries of GraphiQL's history
  // and favourites, which it stores whatever the setting says.
  function withoutHeaders(value) {
    try {
      var list = JSON.parse(value);
      (list.queries || list.favorites || []).forEach(function (q) { delete q.headers; });
      return JSON.stringify(list);
    } catch (e) {
      return value;
    }
  }

  // storage is localStorage as GraphiQL uses it (its namespace only),
  // with the headers kept out of the history unless they are persisted.
  var storage = {
    getItem: function (k) { return window.localStorage.getItem(k); },
    setItem: function (k, v) {
      if (!persisting() && /^graphiql:(queries|favorites)$/.test(k)) {
        v = withoutHeaders(v);
      }
      window.localStorage.setItem(k, v);
    },
    removeItem: function (k) { window.localStorage.removeItem(k); },
    clear: function () {
      Object.keys(window.localStorage).forEach(function (k) {
        if (k.indexOf('graphiql:') === 0) window.localStorage.removeItem(k);
      });
    },
    get length() {
      return Object.keys(window.localStorage).filter(function (k) { return k.indexOf('graphiql:') === 0; }).length;
    }
  };

  function newFetcher() {
    return GraphiQL.createFetcher({ url: endpoint });
  }

  function App() {
    // GraphiQL introspects again whenever its fetcher changes: a new one
    // is made after the headers stop changing for a moment.
    var state = React.useState(newFetcher);
    var fetcher = state[0];
    var setFetcher = state[1];
    var timer = React.useRef(0);
    var onEditHeaders = React.useCallback(function () {
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(function () { setFetcher(newFetcher); }, 400);
    }, []);
    return h(GraphiQL, {
      fetcher: fetcher,
      defaultHeaders: headers,
      defaultQuery: query,
      defaultEditorToolsVisibility: 'headers',
      onEditHeaders: onEditHeaders,
      storage: storage,
      shouldPersistHeaders: persisting(),
      showPersistHeadersSettings: true
    });
  }

  ReactDOM.createRoot(root).render(h(App));
})();
