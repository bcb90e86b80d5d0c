package proxy

import (
	"fmt"
	"net/http"
	"strconv"
)

// handleSetUser switches the simulated user: GET ebuio_setUser?mode=M.
func (p *Proxy) handleSetUser(w http.ResponseWriter, r *http.Request) error {
	mode := r.URL.Query().Get("mode")
	if _, ok := simulatedUsers[mode]; !ok {
		return badRequest(fmt.Sprintf("Unknown user mode %q: use ano, log, mem or adm.", mode))
	}

	st := stateFrom(r.Context())
	st.session.UserMode = mode
	if err := p.saveSession(r.Context(), st.session); err != nil {
		return err
	}

	w.WriteHeader(http.StatusOK)
	return nil
}

// handleSetOrga switches the organisation: GET ebuio_setOrga?pk=P&name=N.
// Only the simulated organisations can be chosen.
func (p *Proxy) handleSetOrga(w http.ResponseWriter, r *http.Request) error {
	pk, err := strconv.ParseInt(r.URL.Query().Get("pk"), 10, 64)
	if err != nil {
		return badRequest("The organisation's pk must be an integer.")
	}

	orga, ok := findSimulatedOrga(pk)
	if !ok {
		return badRequest(fmt.Sprintf("Unknown organisation %d.", pk))
	}

	st := stateFrom(r.Context())
	st.session.OrgaPK, st.session.OrgaName, st.session.OrgaCodops = orga.PK, orga.Name, orga.Codops
	if err := p.saveSession(r.Context(), st.session); err != nil {
		return err
	}

	w.WriteHeader(http.StatusOK)
	return nil
}

func findSimulatedOrga(pk int64) (Orga, bool) {
	for _, o := range simulatedOrgas {
		if o.PK == pk {
			return o, true
		}
	}
	return Orga{}, false
}

// handleSwitchOrga switches the current organisation of a real account
// for this service: GET _ebuio_setOrga?orga=PK. The user must belong to
// the organisation, unless a platform administrator.
func (p *Proxy) handleSwitchOrga(w http.ResponseWriter, r *http.Request) error {
	st := stateFrom(r.Context())
	if st.user.Anonymous() {
		return forbidden("Log in to choose an organisation.")
	}
	pk, err := strconv.ParseInt(r.URL.Query().Get("orga"), 10, 64)
	if err != nil {
		return badRequest("The organisation must be given as orga=<pk>.")
	}
	if chosen := chooseOrga(st.orgas, pk); (chosen == nil || chosen.PK != pk) && !st.user.PlatformAdmin {
		return forbidden(fmt.Sprintf("You don't belong to organisation %d.", pk))
	}

	if st.session.ServiceOrgas == nil {
		st.session.ServiceOrgas = map[string]int64{}
	}
	st.session.ServiceOrgas[st.service.key] = pk
	if err := p.saveSession(r.Context(), st.session); err != nil {
		return err
	}
	w.WriteHeader(http.StatusOK)
	return nil
}
