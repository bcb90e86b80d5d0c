package proxy

import (
	"fmt"
	"strconv"
)

// User is the current user as the proxy releases it to services.
type User struct {
	// PK is the user's primary key; 0 for the anonymous user.
	PK        int64
	Username  string
	FirstName string
	LastName  string
	Email     string
	// Member and Admin are the project membership and admin rights.
	Member bool
	Admin  bool
	// OrgaMember and OrgaAdmin are the rights in the current organisation.
	OrgaMember bool
	OrgaAdmin  bool
	// SubscriptionLabels are the user's active subscriptions to the
	// service.
	SubscriptionLabels []string
	// Mode is the simulated user mode of standalone mode.
	Mode string
	// PlatformAdmin administers the whole platform (hosted mode).
	PlatformAdmin bool
}

// Anonymous reports whether u is the anonymous user.
func (u User) Anonymous() bool { return u.PK == 0 }

// releasedProperties are the user properties a service may request with
// user_info.
var releasedProperties = map[string]bool{
	"username": true, "id": true, "pk": true, "first_name": true, "last_name": true,
	"email": true, "ebuio_member": true, "ebuio_admin": true, "ebuio_orga_member": true,
	"ebuio_orga_admin": true, "subscription_labels": true,
}

// property returns the user property name as the values of its form
// parameter, encoded as the original Python client encoded them: booleans
// as True or False, a missing value as no value, a list as one value per
// element.
func (u User) property(name string) ([]string, error) {
	switch name {
	case "pk", "id":
		if u.Anonymous() {
			return nil, nil
		}
		return []string{strconv.FormatInt(u.PK, 10)}, nil
	case "username":
		return []string{u.Username}, nil
	case "first_name":
		return []string{u.FirstName}, nil
	case "last_name":
		return []string{u.LastName}, nil
	case "email":
		if u.Email == "" {
			return nil, nil
		}
		return []string{u.Email}, nil
	case "ebuio_member":
		return []string{pythonBool(u.Member)}, nil
	case "ebuio_admin":
		return []string{pythonBool(u.Admin)}, nil
	case "ebuio_orga_member":
		return []string{pythonBool(u.OrgaMember)}, nil
	case "ebuio_orga_admin":
		return []string{pythonBool(u.OrgaAdmin)}, nil
	case "subscription_labels":
		return u.SubscriptionLabels, nil
	}
	return nil, fmt.Errorf("user property %q is not released to services", name)
}

// templateValue returns the user as the template variable ebuio_u.
func (u User) templateValue() map[string]any {
	m := map[string]any{
		"username":            u.Username,
		"first_name":          u.FirstName,
		"last_name":           u.LastName,
		"email":               u.Email,
		"ebuio_member":        u.Member,
		"ebuio_admin":         u.Admin,
		"ebuio_orga_member":   u.OrgaMember,
		"ebuio_orga_admin":    u.OrgaAdmin,
		"subscription_labels": u.SubscriptionLabels,
		"id":                  "None",
		"pk":                  nil,
	}
	if !u.Anonymous() {
		m["id"] = strconv.FormatInt(u.PK, 10)
		m["pk"] = u.PK
	}
	return m
}

func pythonBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// simulatedUsers are the users of standalone mode, by mode.
var simulatedUsers = map[string]User{
	"ano": {Mode: "ano", FirstName: "Ano", LastName: "Nymous"},
	"log": {Mode: "log", PK: -1, Username: "Logged", FirstName: "Logged", LastName: "Hector",
		Email: "logged@example.org"},
	"mem": {Mode: "mem", PK: -2, Username: "Member", FirstName: "Member", LastName: "Luc",
		Email: "member@example.org", Member: true},
	"adm": {Mode: "adm", PK: -3, Username: "Admin", FirstName: "Admin", LastName: "Charles",
		Email: "admin@example.org", Member: true, Admin: true},
}

// userModes lists the simulated users in menu order.
var userModes = []string{"ano", "log", "mem", "adm"}

// simulatedUser returns the simulated user of a mode; organisation rights
// equal project rights in standalone mode.
func simulatedUser(mode string) User {
	u, ok := simulatedUsers[mode]
	if !ok {
		u = simulatedUsers["ano"]
	}
	u.OrgaMember = u.Member
	u.OrgaAdmin = u.Admin
	return u
}

// Orga is an organisation.
type Orga struct {
	PK     int64  `json:"pk"`
	Name   string `json:"name"`
	Codops string `json:"ebu_codops"`
}

// simulatedOrgas are the organisations of standalone mode; the first is
// the default.
var simulatedOrgas = []Orga{
	{PK: -1, Name: "EBU", Codops: "zzebu"},
	{PK: -2, Name: "RTS", Codops: "chrts"},
	{PK: -3, Name: "BBC", Codops: "gbbbc"},
	{PK: -4, Name: "CNN", Codops: "uscnn"},
}

func (o Orga) templateValue() map[string]any {
	return map[string]any{"pk": o.PK, "name": o.Name, "ebu_codops": o.Codops}
}
