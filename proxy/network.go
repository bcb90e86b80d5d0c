package proxy

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr returns the browser's address: the connection's peer, or the
// first (client) entry of X-Forwarded-For when the proxy trusts it. It is
// the zero Addr when neither parses.
func (p *Proxy) clientAddr(r *http.Request) netip.Addr {
	if p.cfg.TrustForwardedFor {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if addr, err := netip.ParseAddr(strings.TrimSpace(first)); err == nil {
				return addr.Unmap()
			}
		}
	}

	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Addr{}
	}
	return addr.Unmap()
}

// addrInNetworks reports whether addr is in one of the networks. The zero
// Addr is in none.
func addrInNetworks(addr netip.Addr, networks []netip.Prefix) bool {
	if !addr.IsValid() {
		return false
	}
	for _, n := range networks {
		if n.Contains(addr) {
			return true
		}
	}
	return false
}
