package huaweicloud

// An independent verifier of SDK-HMAC-SHA256 signatures, written from
// the API request signing guide
// (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html)
// without calling the signer's code, as a server would check a request it
// received.

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/clienttest"
)

// verified is what the verifier learnt from a request it accepted.
type verified struct {
	AccessKey     string
	SignedHeaders []string
	// CanonicalQuery is the query as the verifier canonicalizes it.
	CanonicalQuery string
	// RawQuery and RawPath are the bytes received.
	RawQuery, RawPath string
}

// verifyHuawei checks r's signature against secretKey. body is the body
// received.
func verifyHuawei(r *http.Request, body []byte, secretKey string, now time.Time) (*verified, error) {
	fields, err := clienttest.Authorization(r, "SDK-HMAC-SHA256", ", ")
	if err != nil {
		return nil, err
	}
	v := &verified{AccessKey: fields["Access"], SignedHeaders: strings.Split(fields["SignedHeaders"], ";")}
	if v.AccessKey == "" || fields["Signature"] == "" || fields["SignedHeaders"] == "" {
		return nil, fmt.Errorf("authorization %q: missing parts", r.Header.Get("Authorization"))
	}

	date := r.Header.Get("X-Sdk-Date")
	if err := clienttest.Fresh("X-Sdk-Date", date, "20060102T150405Z", now); err != nil {
		return nil, err
	}

	rawPath, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	v.RawPath, v.RawQuery = rawPath, rawQuery
	var segs []string
	for _, s := range strings.Split(rawPath, "/") {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, fmt.Errorf("path segment %q: %w", s, err)
		}
		segs = append(segs, clienttest.Encode(u))
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}

	if v.CanonicalQuery, err = clienttest.CanonicalQuery(rawQuery); err != nil {
		return nil, err
	}
	if !sort.StringsAreSorted(v.SignedHeaders) {
		return nil, fmt.Errorf("signed headers %v not sorted", v.SignedHeaders)
	}
	hdrs, err := clienttest.HeaderLines(r, v.SignedHeaders, true)
	if err != nil {
		return nil, err
	}
	creq := r.Method + "\n" + uri + "\n" + v.CanonicalQuery + "\n" + hdrs + "\n" + fields["SignedHeaders"] + "\n" + clienttest.SHA256(body)
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + clienttest.SHA256([]byte(creq))
	if err := clienttest.SignatureIs(secretKey, sts, fields["Signature"], creq); err != nil {
		return nil, err
	}
	return v, nil
}
