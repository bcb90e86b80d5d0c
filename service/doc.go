// Package service is the library for writing a PlugIt service: a small
// HTTP server that owns one application's data and logic, and that a
// PlugIt proxy shows to users inside its common layout.
//
// A service declares its actions, each with a route, a Django-syntax
// template and options that the proxy enforces (who may call it, how long
// the page may be cached, which user properties the proxy sends):
//
//	svc, err := service.New([]service.Action{{
//		Route:    "/show/{id:int}",
//		Template: "show.html",
//		UserInfo: []string{"pk"},
//		Handler: func(r *service.Request) (*service.Response, error) {
//			return service.Data(map[string]any{"id": r.IntParam("id")}), nil
//		},
//	}}, service.WithTemplates(templatesFS))
//
// The Service is an http.Handler answering the protocol calls ping,
// version, mail, meta/, template/, action/ and media/ under its base URL.
package service
