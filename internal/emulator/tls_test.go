package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
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
	_, err = untrusted.Get(srv.URL + "/v3/projects")
	var uerr x509.UnknownAuthorityError
	if !errors.As(err, &uerr) {
		t.Errorf("a client of another CA: %v, want an unknown authority", err)
	}
}
