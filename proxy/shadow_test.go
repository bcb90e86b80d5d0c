package proxy

import (
	"net/http"
	"strings"
	"testing"
)

func TestShadowDeploymentSelectsUsers(t *testing.T) {
	primary, shadowSvc := newTestService(t), newTestService(t)
	tp := newTestProxy(t, primary, func(c *Config) {
		c.Shadows = []ShadowConfig{{Name: "next", URL: shadowSvc.server.URL + "/", Users: []string{"Member"}}}
	})

	tp.switchUser("mem")
	resp, _ := tp.get("/plugIt/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if shadowSvc.count("action") != 1 || primary.count("action") != 0 {
		t.Errorf("member: primary got %d action calls and shadow %d, want 0 and 1",
			primary.count("action"), shadowSvc.count("action"))
	}

	tp.switchUser("log")
	tp.get("/plugIt/")
	if primary.count("action") != 1 {
		t.Errorf("logged user not served by the primary: %d calls", primary.count("action"))
	}
	if !strings.Contains(tp.logs.String(), "deployment=next") {
		t.Error("shadow routing not logged")
	}
}

func TestShadowPercentIsSticky(t *testing.T) {
	primary, shadowSvc := newTestService(t), newTestService(t)
	tp := newTestProxy(t, primary, func(c *Config) {
		c.Shadows = []ShadowConfig{{Name: "half", URL: shadowSvc.server.URL + "/", Percent: 50}}
	})

	tp.switchUser("adm")
	for i := 0; i < 5; i++ {
		tp.get("/plugIt/")
	}
	p, s := primary.count("action"), shadowSvc.count("action")
	if p+s != 5 || (p != 0 && s != 0) {
		t.Errorf("one user was split between deployments: primary %d, shadow %d", p, s)
	}
}

func TestShadowConfigValidated(t *testing.T) {
	ts := newTestService(t)
	_, err := New(Config{ServiceURL: ts.server.URL, Shadows: []ShadowConfig{{Name: "x", URL: ts.server.URL, Percent: 101}}})
	if err == nil || !strings.Contains(err.Error(), "percent") {
		t.Errorf("percent 101 accepted: %v", err)
	}
}
