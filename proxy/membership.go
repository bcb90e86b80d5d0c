package proxy

import (
	"slices"
)

// serviceAllowed reports whether the user may open a hosted service: every
// user may, unless the service is limited to some organisations and the
// user belongs to none of them.
func serviceAllowed(st *requestState, svc *serviceState) bool {
	if len(svc.Orgas) == 0 {
		return true
	}
	for _, o := range userOrgas(st) {
		if slices.Contains(svc.Orgas, o.Codops) {
			return true
		}
	}
	return false
}

// userOrgas returns the organisations the current user belongs to.
func userOrgas(st *requestState) []Orga {
	if st == nil {
		return nil
	}
	return st.orgas
}
