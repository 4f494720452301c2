package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCA(t *testing.T) {
	ca, err := NewCA()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(s.Handler())
	srv.TLS = ca.ServerConfig()
	srv.StartTLS()
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]

	trusted := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: ca.Pool()}}}
	for _, host := range []string{"127.0.0.1", "localhost"} {
		resp, err := trusted.Get("https://" + host + port + "/v3/projects")
		if err != nil {
			t.Fatalf("%s: %v", host, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want the unsigned request's 401", host, resp.StatusCode)
		}
	}
	// From the PEM, as a user's SSL_CERT_FILE gives it.
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca.CertPEM()) {
		t.Fatal("CertPEM is not a PEM certificate")
	}
	fromPEM := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := fromPEM.Get(srv.URL + "/v3/projects")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	// Another CA's clients refuse the certificate.
	other, err := NewCA()
	if err != nil {
		t.Fatal(err)
	}
	untrusted := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: other.Pool()}}}
	resp, err = untrusted.Get(srv.URL + "/v3/projects")
	if err == nil {
		resp.Body.Close()
	}
	var uerr x509.UnknownAuthorityError
	if !errors.As(err, &uerr) {
		t.Errorf("a client of another CA: %v, want an unknown authority", err)
	}
}

// Options.TLSAddr: the same emulator over HTTPS too, with its own CA;
// state is shared (a key issued over one is accepted over the other).
func TestStartTLSAddr(t *testing.T) {
	if _, err := Start(Options{TLSAddr: "10.0.0.1:0"}); err == nil {
		t.Fatal("a TLS address that is not loopback was accepted")
	}
	s, err := Start(Options{TLSAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if !strings.HasPrefix(s.TLSURL(), "https://127.0.0.1:") || s.CA() == nil {
		t.Fatalf("TLSURL %q, CA %v", s.TLSURL(), s.CA())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: s.CA().Pool()}}}
	put, _ := http.NewRequest(http.MethodPut, s.TLSURL()+"/latest/api/token", nil)
	put.Header.Set("X-aliyun-ecs-metadata-token-ttl-seconds", "60")
	resp, err := client.Do(put)
	if err != nil {
		t.Fatal(err)
	}
	tok, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	get, _ := http.NewRequest(http.MethodGet, s.URL()+"/latest/meta-data/ram/security-credentials/", nil)
	get.Header.Set("X-aliyun-ecs-metadata-token", string(tok))
	resp, err = http.DefaultClient.Do(get)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("a token issued over HTTPS, used over HTTP: %d", resp.StatusCode)
	}
	plain, _ := Start(Options{})
	defer plain.Close()
	if plain.TLSURL() != "" || plain.CA() != nil {
		t.Error("TLS without TLSAddr")
	}
}
