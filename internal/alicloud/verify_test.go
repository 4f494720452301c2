package alicloud

// An independent verifier of ACS3-HMAC-SHA256 signatures, written from
// the signature documentation
// (https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature)
// without calling the signer's code, as a server would check a request it
// received.

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
)

type verified struct {
	AccessKeyID    string
	SignedHeaders  []string
	Nonce          string
	RawQuery       string
	CanonicalQuery string
}

func verifyACS3(r *http.Request, body []byte, secret string, now time.Time) (*verified, error) {
	parts, err := clienttest.Authorization(r, "ACS3-HMAC-SHA256", ",")
	if err != nil {
		return nil, err
	}
	v := &verified{AccessKeyID: parts["Credential"], SignedHeaders: strings.Split(parts["SignedHeaders"], ";"), Nonce: r.Header.Get("x-acs-signature-nonce")}
	if v.AccessKeyID == "" || parts["Signature"] == "" || v.Nonce == "" {
		return nil, fmt.Errorf("authorization %q or nonce missing", r.Header.Get("Authorization"))
	}
	if err := clienttest.Fresh("x-acs-date", r.Header.Get("x-acs-date"), "2006-01-02T15:04:05Z", now); err != nil {
		return nil, err
	}
	payload := clienttest.SHA256(body)
	if got := r.Header.Get("x-acs-content-sha256"); got != payload {
		return nil, fmt.Errorf("x-acs-content-sha256 %q does not match the body", got)
	}

	// Every x-acs-* header and content-type that was sent must be signed.
	for k := range r.Header {
		n := strings.ToLower(k)
		if (strings.HasPrefix(n, "x-acs-") || n == "content-type") && !slices.Contains(v.SignedHeaders, n) {
			return nil, fmt.Errorf("header %s sent but not signed", n)
		}
	}

	rawPath, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	v.RawQuery = rawQuery
	if v.CanonicalQuery, err = clienttest.CanonicalQuery(rawQuery); err != nil {
		return nil, err
	}
	hdrs, _ := clienttest.HeaderLines(r, v.SignedHeaders, false)
	creq := r.Method + "\n" + rawPath + "\n" + v.CanonicalQuery + "\n" + hdrs + "\n" + parts["SignedHeaders"] + "\n" + payload
	if err := clienttest.SignatureIs(secret, "ACS3-HMAC-SHA256\n"+clienttest.SHA256([]byte(creq)), parts["Signature"], creq); err != nil {
		return nil, err
	}
	return v, nil
}
