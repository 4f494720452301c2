package transport

import (
	"context"
	"fmt"
	"net"
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

// loopbackOnly returns a dial function that refuses, without a packet
// sent, any address whose host is not a loopback IP or "localhost", and
// closes a connection to "localhost" that did not end on a loopback
// address.
func loopbackOnly(dial func(ctx context.Context, network, addr string) (net.Conn, error)) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		refuse := fmt.Errorf("refusing to connect to %s: this process may reach loopback addresses only (%s, set for tests)", addr, EnvLoopbackOnly)
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, refuse
		}
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return nil, refuse
		}
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if ta, ok := conn.RemoteAddr().(*net.TCPAddr); !ok || !ta.IP.IsLoopback() {
			_ = conn.Close()
			return nil, refuse
		}
		return conn, nil
	}
}

func loopbackOnlyFromEnv() bool { return os.Getenv(EnvLoopbackOnly) != "" }
