package proxy

import (
	"context"
	"strconv"
)

// directory returns the directory the API uses: the configured one, or
// the simulated users and organisations of standalone mode.
func (p *Proxy) directory() Directory {
	if p.cfg.Directory != nil {
		return p.cfg.Directory
	}
	return simulatedDirectory{}
}

// simulatedDirectory is the API's view of standalone mode's simulated
// users, who belong to every simulated organisation.
type simulatedDirectory struct{}

func (simulatedDirectory) User(_ context.Context, _ string, ref string) (APIUser, error) {
	for _, mode := range userModes {
		u := simulatedUser(mode)
		if !u.Anonymous() && strconv.FormatInt(u.PK, 10) == ref {
			return simulatedAPIUser(u), nil
		}
	}
	return APIUser{}, errNotFound
}

func simulatedAPIUser(u User) APIUser {
	orgas := make([]APIUserOrga, 0, len(simulatedOrgas))
	for _, o := range simulatedOrgas {
		orgas = append(orgas, APIUserOrga{Orga: o, IsAdmin: u.Admin})
	}
	return APIUser{User: u, Orgas: orgas}
}

func (simulatedDirectory) SubscriptionLabels(context.Context, string, int64) ([]string, error) {
	return []string{}, nil
}

func (simulatedDirectory) Orga(_ context.Context, _ string, pk int64) (Orga, error) {
	o, ok := findSimulatedOrga(pk)
	if !ok {
		return Orga{}, errNotFound
	}
	return o, nil
}

func (simulatedDirectory) Orgas(context.Context, string) ([]Orga, error) {
	return simulatedOrgas, nil
}

func (simulatedDirectory) Members(context.Context, string) ([]APIUser, error) {
	return []APIUser{simulatedAPIUser(simulatedUser("mem")), simulatedAPIUser(simulatedUser("adm"))}, nil
}
