package service

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// callerAllowed reports whether the caller's address is in the allowed
// networks; every caller is allowed when none are set.
func (s *Service) callerAllowed(r *http.Request) bool {
	if len(s.networks) == 0 {
		return true
	}

	addr, ok := s.callerAddr(r)
	if !ok {
		return false
	}

	for _, network := range s.networks {
		if network.Contains(addr) {
			return true
		}
	}
	return false
}

// callerAddr returns the connection's peer address, or the last hop of
// X-Forwarded-For when the service trusts it.
func (s *Service) callerAddr(r *http.Request) (netip.Addr, bool) {
	raw := r.RemoteAddr
	if host, _, err := net.SplitHostPort(raw); err == nil {
		raw = host
	}

	if s.trustXFF {
		if xff := r.Header.Values("X-Forwarded-For"); len(xff) > 0 {
			hops := strings.Split(xff[len(xff)-1], ",")
			raw = strings.TrimSpace(hops[len(hops)-1])
		}
	}

	addr, err := netip.ParseAddr(raw)
	if err != nil {
		return netip.Addr{}, false
	}
	return addr.Unmap(), true
}
