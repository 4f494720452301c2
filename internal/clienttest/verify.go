package clienttest

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

// What a server does to check a signature, written with the standard
// library only, so that a mistake of the signers (internal/canonical)
// cannot be mirrored here: each cloud's verifier (verify_test.go) reads
// its Authorization header and puts these together.

// Authorization returns the parts of r's Authorization header of scheme
// ("SCHEME name=value<sep>name=value..."), by name; another scheme, or a
// part that is not name=value or starts with a space, is an error.
func Authorization(r *http.Request, scheme, sep string) (map[string]string, error) {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, scheme+" ")
	if !ok {
		return nil, fmt.Errorf("authorization %q: wrong scheme", auth)
	}
	parts := map[string]string{}
	for p := range strings.SplitSeq(rest, sep) {
		k, v, ok := strings.Cut(p, "=")
		if !ok || strings.HasPrefix(p, " ") {
			return nil, fmt.Errorf("authorization part %q", p)
		}
		parts[k] = v
	}
	return parts, nil
}

// Encode percent-encodes as both signing guides say, through the
// standard library's query escaping (which keeps exactly A-Z a-z 0-9 - _
// . ~) with space turned into %20.
func Encode(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// CanonicalQuery is a received raw query as a server canonicalises it:
// parsed, then every name and value encoded, sorted by name and then
// value, "k=v" pairs joined with "&".
func CanonicalQuery(rawQuery string) (string, error) {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return "", fmt.Errorf("query %q: %w", rawQuery, err)
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var pairs []string
	for _, k := range keys {
		vals := append([]string(nil), q[k]...)
		sort.Strings(vals)
		for _, val := range vals {
			pairs = append(pairs, Encode(k)+"="+Encode(val))
		}
	}
	return strings.Join(pairs, "&"), nil
}

// HeaderLines are the canonical request's lines of the signed headers of
// r, in the order given: "name:value\n", the value trimmed, several joined
// with ",", host from r.Host. An absent one is an error when present is
// set.
func HeaderLines(r *http.Request, signed []string, present bool) (string, error) {
	var b strings.Builder
	for _, name := range signed {
		val := strings.Join(r.Header.Values(name), ",")
		if name == "host" {
			val = r.Host
		}
		if present && val == "" {
			return "", fmt.Errorf("signed header %s is absent", name)
		}
		b.WriteString(name + ":" + strings.TrimSpace(val) + "\n")
	}
	return b.String(), nil
}

// Fresh checks a signature's date header, in layout, against 15 minutes
// of clock skew at now.
func Fresh(name, date, layout string, now time.Time) error {
	ts, err := time.Parse(layout, date)
	if err != nil {
		return fmt.Errorf("%s %q: %w", name, date, err)
	}
	if d := now.Sub(ts); d > 15*time.Minute || d < -15*time.Minute {
		return fmt.Errorf("%s %s is %s away", name, date, d)
	}
	return nil
}

// SHA256 is the hex SHA-256 of b.
func SHA256(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// SignatureIs checks the hex HMAC-SHA256 of stringToSign under secret
// against signature; on a mismatch the error shows the server's canonical
// request.
func SignatureIs(secret, stringToSign, signature, canonicalRequest string) error {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(stringToSign))
	if want := hex.EncodeToString(m.Sum(nil)); !hmac.Equal([]byte(want), []byte(signature)) {
		return fmt.Errorf("signature mismatch; server canonical request:\n%s", canonicalRequest)
	}
	return nil
}
