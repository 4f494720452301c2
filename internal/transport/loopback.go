package transport

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"time"
)

// EnvLoopbackOnly names the environment variable that, set to anything
// but "", limits every Client of the process to loopback addresses
// (127.0.0.0/8, ::1, localhost). make test sets it (scripts/testenv.sh) for
// the test processes and, through Terraform, for every provider process
// they start: whatever a test's configuration says or leaves out, no test
// reaches a cloud endpoint or an instance-metadata address (100.100.100.200,
// 169.254.169.254). Users have no reason to set it.
const EnvLoopbackOnly = "OPSAUDIT_LOOPBACK_ONLY"

// dialer is what http.DefaultTransport dials with.
var dialer = &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}

// refuseLoopback is the error of a target the guard does not allow.
func refuseLoopback(addr string) error {
	return fmt.Errorf("refusing to connect to %s: this process may reach loopback addresses only (%s, set for tests)", addr, EnvLoopbackOnly)
}

// isLoopbackHost reports whether host (no port, no brackets) is a
// loopback IP or "localhost".
func isLoopbackHost(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// loopbackProxy is the Proxy of a loopback-only client. It judges the
// request's target, not the address dialled: behind a proxy (HTTPS_PROXY,
// HTTP_PROXY) the dialled address is the proxy's, often on loopback, and a
// dial guard alone would let a request for a cloud host through it. A
// target that is not a loopback IP or "localhost" is refused before
// anything is dialled; a loopback target is reached directly, never
// through a proxy.
func loopbackProxy(req *http.Request) (*url.URL, error) {
	host, port := req.URL.Hostname(), req.URL.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[req.URL.Scheme]
	}
	if !isLoopbackHost(host) {
		return nil, refuseLoopback(net.JoinHostPort(host, port))
	}
	return nil, nil
}

// loopbackOnly returns a dial function that refuses, without a packet
// sent, any address whose host is not a loopback IP or "localhost", and
// closes a connection to "localhost" that did not end on a loopback
// address.
func loopbackOnly(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil || !isLoopbackHost(host) {
			return nil, refuseLoopback(addr)
		}
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if ta, ok := conn.RemoteAddr().(*net.TCPAddr); !ok || !ta.IP.IsLoopback() {
			_ = conn.Close()
			return nil, refuseLoopback(addr)
		}
		return conn, nil
	}
}

func loopbackOnlyFromEnv() bool { return os.Getenv(EnvLoopbackOnly) != "" }
