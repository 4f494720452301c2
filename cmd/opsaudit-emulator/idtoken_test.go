package main

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/emulator"
)

// TestPrintIDToken: -print-id-token prints a token that an emulator
// started separately accepts for AssumeRoleWithOIDC.
func TestPrintIDToken(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run(t.Context(), []string{"-print-id-token"}, &out, &errb); code != 0 {
		t.Fatalf("code %d: %s", code, errb.String())
	}
	tok := strings.TrimSpace(out.String())
	if strings.Count(tok, ".") != 2 {
		t.Fatalf("not a JWT: %q", tok)
	}
	srv, err := emulator.Start(emulator.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	for _, tc := range []struct {
		token string
		want  int
	}{{tok, http.StatusOK}, {tok[:len(tok)-3] + "abc", http.StatusBadRequest}} {
		form := url.Values{"OIDCProviderArn": {emulator.DemoAliOIDCProviderARN}, "RoleArn": {emulator.DemoAliRoleARN},
			"OIDCToken": {tc.token}, "RoleSessionName": {"t"}}
		req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL()+"/", strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("x-acs-action", "AssumeRoleWithOIDC")
		req.Header.Set("x-acs-version", "2015-04-01")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("AssumeRoleWithOIDC: HTTP %d, want %d", resp.StatusCode, tc.want)
		}
	}
}
