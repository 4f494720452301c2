package transport

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// certPEM is cert as a PEM block.
func certPEM(cert *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
}

// otherCA is a self-signed CA certificate that signed nothing the tests
// talk to.
func otherCA(t *testing.T) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "unrelated test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

func writeTemp(t *testing.T, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A ca_cert_file must be readable and hold at least one certificate that
// parses; anything else is refused with the file named.
func TestCACertPoolRefusesUnusableFiles(t *testing.T) {
	keyOnly := pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: []byte("not really a key")})
	badCert := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("garbage")})
	cases := map[string]struct {
		path string
		want string
	}{
		"missing":     {filepath.Join(t.TempDir(), "nope.pem"), "reading ca_cert_file: open "},
		"a directory": {t.TempDir(), "reading ca_cert_file: "},
		"empty":       {writeTemp(t, "empty.pem", nil), "holds no PEM certificate"},
		"not PEM":     {writeTemp(t, "der.crt", otherCA(t).Raw), "holds no PEM certificate"},
		"key only":    {writeTemp(t, "key.pem", keyOnly), "holds no PEM certificate"},
		"broken cert": {writeTemp(t, "bad.pem", append(certPEM(otherCA(t)), badCert...)), "certificate 2 does not parse"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			pool, err := CACertPool(t.Context(), tc.path)
			if err == nil || pool != nil {
				t.Fatalf("got a pool, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), tc.path) {
				t.Errorf("error %q: want it to contain %q and the path", err, tc.want)
			}
		})
	}
}

// A TLS server whose certificate only the CA file trusts: with the file's
// roots the request succeeds; with the system roots alone, or another CA,
// it fails at once with a certificate error (not retried) that points at
// ca_cert_file.
func TestRootCAsFromFile(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	req := &Request{Operation: "Probe", Method: http.MethodGet, URL: srv.URL + "/x"}

	pool, err := CACertPool(t.Context(), writeTemp(t, "ca.pem", certPEM(srv.Certificate())))
	if err != nil {
		t.Fatal(err)
	}
	c := New(Options{MaxRetries: 3, BaseBackoff: time.Millisecond, RootCAs: pool})
	if resp, err := c.Do(context.Background(), req); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("with the CA file: %v", err)
	}

	other, err := CACertPool(t.Context(), writeTemp(t, "other.pem", certPEM(otherCA(t))))
	if err != nil {
		t.Fatal(err)
	}
	for name, roots := range map[string]*x509.CertPool{"system roots": nil, "another CA": other} {
		t.Run(name, func(t *testing.T) {
			before := hits.Load()
			c := New(Options{MaxRetries: 3, BaseBackoff: time.Millisecond, RootCAs: roots})
			_, err := c.Do(context.Background(), req)
			var unknown x509.UnknownAuthorityError
			if !errors.As(err, &unknown) {
				t.Fatalf("want an unknown-authority certificate error, got %v", err)
			}
			var terr *Error
			if !errors.As(err, &terr) || terr.Attempts != 1 {
				t.Errorf("want one attempt (a certificate error is not retried), got %+v", terr)
			}
			if !strings.Contains(err.Error(), "ca_cert_file") {
				t.Errorf("error %q does not point at ca_cert_file", err)
			}
			if hits.Load() != before {
				t.Error("the handler was reached without a trusted certificate")
			}
		})
	}
}
