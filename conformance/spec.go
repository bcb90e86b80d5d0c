package conformance

import (
	"encoding/json"
	"strconv"
)

// The fixtures' files, as every implementation of the fixture services
// must serve them.
var (
	fixtureTemplates = map[string]string{
		"home.html":     "home_template",
		"echo.html":     "{{ echo }}",
		"csrf.html":     "{% csrf_token %}",
		"get_orga.html": "{{ ebuio_orga.pk }},{{ ebuio_orga.name }}",
		"menu.html": `{% extends "plugIt/base.html" %}{% block menubar %}<a href="{{ ebuio_baseUrl }}">` +
			`fixture-menu</a>{% endblock %}{% block content %}menu_page{% endblock %}`,
		"include.html": `{% load plugit_tags %}before {% plugitInclude "no_template" %} after`,
		"getuser.html": `{% load plugit_tags %}{% plugitGetUser -3 as u %}{{ u.username }}`,
	}

	fixtureMedia = map[string]string{
		"testfile1": "This is the text file 1",
		"testfile2": "This is test file 2 !",
	}
)

// fixtureRoute is an action of the template-mode fixture service with its
// template and the meta keys other than template_tag.
type fixtureRoute struct {
	path     string // the action path, without the leading "/"
	template string
	meta     map[string]any
}

// flag is a meta object with one key set to true.
func flag(key string) map[string]any { return map[string]any{key: true} }

// noTemplate is the meta of a no_template action.
var noTemplate = flag("no_template")

func cached(seconds int, byUser bool) map[string]any {
	return map[string]any{"cache_time": json.Number(strconv.Itoa(seconds)), "cache_by_user": byUser}
}

// fixtureRoutes lists every action of the template-mode fixture service.
var fixtureRoutes = []fixtureRoute{
	{"", "home.html", nil},
	{"only_logged_user", "home.html", flag("only_logged_user")},
	{"only_member_user", "home.html", flag("only_member_user")},
	{"only_admin_user", "home.html", flag("only_admin_user")},
	{"only_orga_member_user", "home.html", flag("only_orga_member_user")},
	{"only_orga_admin_user", "home.html", flag("only_orga_admin_user")},
	{"cache", "home.html", cached(42, false)},
	{"cache2", "home.html", cached(48, true)},
	{"cacheTime", "echo.html", cached(3600, false)},
	{"cacheTime2", "echo.html", cached(3600, true)},
	{"user_info", "home.html", map[string]any{"user_info": []any{"1", "coucou", "3", "thegame"}}},
	{"user_pk", "echo.html", map[string]any{"user_info": []any{"pk"}}},
	{"user_props", "echo.html", map[string]any{"no_template": true,
		"user_info": []any{"pk", "username", "ebuio_member", "ebuio_admin"}}},
	{"generate_500", "home.html", nil},
	{"json_only", "", flag("json_only")},
	{"xml_only", "", flag("xml_only")},
	{"public", "home.html", flag("public")},
	{"address_in_networks", "home.html", map[string]any{"address_in_networks": []any{"127.0.0.1/24"}}},
	{"address_in_networks_outside", "home.html",
		map[string]any{"address_in_networks": []any{"255.255.255.255/32"}}},
	{"no_template", "home.html", noTemplate},
	{"plugitredirect", "", nil},
	{"plugitredirect2", "", nil},
	{"external_plugitredirect", "", nil},
	{"external_plugitredirect2", "", nil},
	{"redirected", "echo.html", noTemplate},
	{"plugitsendfile", "", nil},
	{"plugitsendfile2", "", nil},
	{"plugitsetsession", "", nil},
	{"plugitsetsession_set_time", "echo.html", noTemplate},
	{"plugitsetsession_get_time", "echo.html", noTemplate},
	{"csrf_token", "csrf.html", noTemplate},
	{"postonly", "home.html", nil},
	{"sendfile_external", "echo.html", noTemplate},
	{"upload_digest", "echo.html", noTemplate},
	{"params", "echo.html", noTemplate},
	{"remote_addr", "echo.html", nil},
	{"headers", "echo.html", noTemplate},
	{"generate_304", "echo.html", nil},
	{"generate_401", "echo.html", nil},
	{"generate_403", "echo.html", nil},
	{"generate_404", "echo.html", nil},
	{"generate_429", "echo.html", nil},
	{"etag", "echo.html", nil},
	{"if_none_match", "echo.html", nil},
	{"crossdomain", "echo.html", nil},
	{"get_orga", "get_orga.html", noTemplate},
	{"menu", "menu.html", nil},
	{"include", "include.html", nil},
	{"getuser", "getuser.html", noTemplate},
	{"slow", "echo.html", noTemplate},
	{"show/42", "echo.html", noTemplate},
}
