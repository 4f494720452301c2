package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
)

// TestRetryServerErrors: every 5xx answer is retried, each attempt signed
// anew, until a success; when the retries run out, the last 5xx is
// returned with the number of attempts made.
func TestRetryServerErrors(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		t.Run(strconv.Itoa(status), func(t *testing.T) {
			var hits atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if hits.Add(1) <= 2 {
					w.WriteHeader(status)
					fmt.Fprint(w, `{"error_code":"SVC.500","error_msg":"try again"}`)
					return
				}
				fmt.Fprint(w, `{"ok":true}`)
			}))
			defer srv.Close()
			var n atomic.Int64
			resp, err := fastClient(3).Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: srv.URL, Sign: signer(&n)})
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != http.StatusOK || resp.Attempts != 3 || hits.Load() != 3 || n.Load() != 3 {
				t.Fatalf("status %d after %d attempts (%d requests, %d signatures); want 200 after 3", resp.StatusCode, resp.Attempts, hits.Load(), n.Load())
			}
		})
	}
	t.Run("retries exhausted", func(t *testing.T) {
		var hits atomic.Int64
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.WriteHeader(http.StatusInternalServerError)
		}))
		defer srv.Close()
		var n atomic.Int64
		resp, err := fastClient(2).Do(t.Context(), &Request{Operation: "Op", Method: http.MethodGet, URL: srv.URL, Sign: signer(&n)})
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusInternalServerError || resp.Attempts != 3 || hits.Load() != 3 {
			t.Fatalf("status %d after %d attempts (%d requests); want the last 500 after 1 + 2 retries", resp.StatusCode, resp.Attempts, hits.Load())
		}
	})
}
