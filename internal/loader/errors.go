package loader

import "errors"

var errNoLoaders = errors.New("loader: no loaders in context (missing loader.Middleware)")
