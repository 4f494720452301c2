package huaweicloud

// An independent verifier of SDK-HMAC-SHA256 signatures, written from
// the API request signing guide
// (https://support.huaweicloud.com/intl/en-us/devg-apisign/api-sign-algorithm-002.html)
// without calling the signer's code, as a server would check a request it
// received.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"
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

// testEncode percent-encodes as the signing guide says, through the standard library's
// query escaping (which keeps exactly A-Z a-z 0-9 - _ . ~) with space
// turned into %20.
func testEncode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// verifyHuawei checks r's signature against secretKey. body is the body
// received.
func verifyHuawei(r *http.Request, body []byte, secretKey string, now time.Time) (*verified, error) {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "SDK-HMAC-SHA256 ")
	if !ok {
		return nil, fmt.Errorf("authorization %q: wrong scheme", auth)
	}
	fields := map[string]string{}
	for part := range strings.SplitSeq(rest, ", ") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return nil, fmt.Errorf("authorization part %q", part)
		}
		fields[k] = v
	}
	v := &verified{AccessKey: fields["Access"], SignedHeaders: strings.Split(fields["SignedHeaders"], ";")}
	if v.AccessKey == "" || fields["Signature"] == "" || fields["SignedHeaders"] == "" {
		return nil, fmt.Errorf("authorization %q: missing parts", auth)
	}

	date := r.Header.Get("X-Sdk-Date")
	ts, err := time.Parse("20060102T150405Z", date)
	if err != nil {
		return nil, fmt.Errorf("X-Sdk-Date %q: %w", date, err)
	}
	if d := now.Sub(ts); d > 15*time.Minute || d < -15*time.Minute {
		return nil, fmt.Errorf("X-Sdk-Date %s is %s away", date, d)
	}

	rawPath, rawQuery, _ := strings.Cut(r.RequestURI, "?")
	v.RawPath, v.RawQuery = rawPath, rawQuery
	var segs []string
	for _, s := range strings.Split(rawPath, "/") {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil, fmt.Errorf("path segment %q: %w", s, err)
		}
		segs = append(segs, testEncode(u))
	}
	uri := strings.Join(segs, "/")
	if !strings.HasSuffix(uri, "/") {
		uri += "/"
	}

	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, fmt.Errorf("query %q: %w", rawQuery, err)
	}
	names := make([]string, 0, len(q))
	for k := range q {
		names = append(names, k)
	}
	sort.Strings(names)
	var pairs []string
	for _, k := range names {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, val := range vals {
			pairs = append(pairs, testEncode(k)+"="+testEncode(val))
		}
	}
	v.CanonicalQuery = strings.Join(pairs, "&")

	var hdrs strings.Builder
	if !sort.StringsAreSorted(v.SignedHeaders) {
		return nil, fmt.Errorf("signed headers %v not sorted", v.SignedHeaders)
	}
	for _, name := range v.SignedHeaders {
		val := r.Header.Get(name)
		if name == "host" {
			val = r.Host
		}
		if val == "" {
			return nil, fmt.Errorf("signed header %s is absent", name)
		}
		hdrs.WriteString(name + ":" + strings.TrimSpace(val) + "\n")
	}
	bodySum := sha256.Sum256(body)
	creq := r.Method + "\n" + uri + "\n" + v.CanonicalQuery + "\n" + hdrs.String() + "\n" +
		fields["SignedHeaders"] + "\n" + hex.EncodeToString(bodySum[:])
	crSum := sha256.Sum256([]byte(creq))
	sts := "SDK-HMAC-SHA256\n" + date + "\n" + hex.EncodeToString(crSum[:])
	m := hmac.New(sha256.New, []byte(secretKey))
	m.Write([]byte(sts))
	if want := hex.EncodeToString(m.Sum(nil)); !hmac.Equal([]byte(want), []byte(fields["Signature"])) {
		return nil, fmt.Errorf("signature mismatch; server canonical request:\n%s", creq)
	}
	return v, nil
}
