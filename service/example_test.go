package service_test

import (
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/plugit-go/plugit/service"
)

// Example declares a service with a home action and an action with an
// integer parameter, serves it, and calls the second action as the proxy
// would.
func Example() {
	svc, err := service.New([]service.Action{
		{
			Route: "/",
			Handler: func(r *service.Request) (*service.Response, error) {
				return service.Data(map[string]any{"polls": []string{"Lunch?"}}), nil
			},
		},
		{
			Route:    "/show/{id:int}",
			UserInfo: []string{"username"},
			Handler: func(r *service.Request) (*service.Response, error) {
				name, _ := r.UserInfo("username")
				return service.Data(map[string]any{"id": r.IntParam("id"), "user": name}), nil
			},
		},
	})
	if err != nil {
		log.Fatal(err)
	}

	// A real service listens with http.ListenAndServe(":5000", svc).
	server := httptest.NewServer(svc)
	defer server.Close()

	resp, err := http.Get(server.URL + "/action/show/42?ebuio_u_username=alice")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()

	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, string(body))
	// Output: 200 {"id":42,"user":"alice"}
}
