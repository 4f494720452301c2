package transport

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"
)

func TestAddSecretMasksLogsAndErrorText(t *testing.T) {
	const static = "STATIC-secret-key-1"
	const dynamic = "TEMP/secret+key=2" // percent-encodes differently in a query and a path
	const headerToken = "HDR-token-from-sign-3"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// A hostile server echoes everything it got into its answer.
		w.Header().Set("X-Request-Id", "id-"+r.Header.Get("X-Security-Token"))
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"message":"auth %q token %q raw %q"}`, r.Header.Get("Authorization"), r.Header.Get("X-Security-Token"), r.URL.RawQuery)
	}))
	defer srv.Close()

	c := New(Options{Secrets: []string{static, ""}})
	c.AddSecret("")
	var wg sync.WaitGroup
	for range 8 { // concurrent use is safe (run with -race)
		wg.Add(1)
		go func() { defer wg.Done(); c.AddSecret(dynamic); _ = c.Mask(dynamic) }()
	}
	wg.Wait()

	var buf bytes.Buffer
	ctx := tflogtest.RootLogger(t.Context(), &buf)
	t.Setenv("TF_LOG", "TRACE")
	resp, err := c.Do(ctx, &Request{
		Operation: "Op", Method: "GET",
		URL: srv.URL + "/x?k=" + strings.ReplaceAll(dynamic, "/", "%2F") + "&s=" + static,
		Sign: func(r *http.Request, _ []byte) error {
			r.Header.Set("Authorization", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=0123abcd")
			r.Header.Set("X-Security-Token", headerToken)
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The error answer's body and headers are masked as they arrive:
	// whoever reads them (a DecodeError cutting them to a length) never
	// sees the echoed secrets.
	echoed := string(resp.Body) + " " + resp.RequestID()
	if !strings.Contains(echoed, `token "`+Masked+`"`) || !strings.Contains(resp.RequestID(), "id-"+Masked) {
		t.Fatalf("the echo is not there, masked: %s", echoed)
	}
	// Response.Mask knows the client's secrets: the raw values, which the
	// body as returned no longer holds, are masked in any text given it.
	raw := fmt.Sprintf(" static %s dynamic %s %s header %s Signature=0123abcd", static, dynamic, "TEMP%2Fsecret%2Bkey%3D2", headerToken)
	masked := resp.Mask(echoed + raw)
	for _, leak := range []string{static, dynamic, "TEMP%2Fsecret%2Bkey%3D2", headerToken, "0123abcd"} {
		if strings.Contains(echoed, leak) {
			t.Errorf("the answer as returned holds %q: %s", leak, echoed)
		}
		if strings.Contains(masked, leak) {
			t.Errorf("Mask left %q in %s", leak, masked)
		}
		if strings.Contains(buf.String(), leak) {
			t.Errorf("log contains %q", leak)
		}
	}
	if !strings.Contains(masked, "Signature="+Masked) {
		t.Errorf("signature not masked as Signature=***: %s", masked)
	}
	// From now on the remembered header value is masked in every log line too.
	buf.Reset()
	if _, err := c.Do(ctx, &Request{Operation: "Op", Method: "GET", URL: srv.URL + "/y"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), headerToken) {
		t.Errorf("log of a later request contains the remembered token:\n%s", buf.String())
	}
}

func TestTransportErrorTextIsMasked(t *testing.T) {
	const secret = "sekret-in-the-url"
	c := New(Options{})
	c.AddSecret(secret)
	// No server listens on port 1 of 127.0.0.1: the dial error quotes the URL.
	_, err := c.Do(t.Context(), &Request{Operation: "Op", Method: "GET", URL: "http://127.0.0.1:1/p?x=" + secret + "&Signature=abc"})
	if err == nil {
		t.Fatal("want an error")
	}
	if strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "Signature=abc") {
		t.Fatalf("error not masked: %v", err)
	}
}
