package alicloud

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/canonical"
)

// SigningAlgorithm is the name of Alibaba Cloud's V3 signing scheme.
const SigningAlgorithm = "ACS3-HMAC-SHA256"

// DateFormat is the layout of the x-acs-date header (always UTC).
const DateFormat = "2006-01-02T15:04:05Z"

// Header names the signer sets.
const (
	headerDate          = "x-acs-date"
	headerNonce         = "x-acs-signature-nonce"
	headerContentSHA256 = "x-acs-content-sha256"
	headerSecurityToken = "x-acs-security-token"
)

// Credentials are an Alibaba Cloud AccessKey pair, with the STS token of
// temporary credentials when there is one.
type Credentials struct {
	AccessKeyID, AccessKeySecret, SecurityToken string
}

// canonicalPath percent-encodes each "/"-separated segment of an unescaped
// path; an empty path is "/".
func canonicalPath(path string) string {
	if path == "" {
		return "/"
	}
	return canonical.Path(path)
}

// CanonicalQuery returns the canonical query string: names and values
// percent-encoded (space is %20, never +), sorted by name and then value,
// "k=v" pairs joined with "&" ("k=" for an empty value). RPC sends exactly
// this string as the raw query. An empty q gives "".
func CanonicalQuery(q url.Values) string { return canonical.Query(q) }

// CanonicalRequest builds the V3 canonical request:
// METHOD\nPATH\nQUERY\nHEADERS\nSIGNEDHEADERS\nPAYLOADHASH
// (canonical.Request). path is the canonical (already encoded) path, "/"
// for RPC; signedHeaders are lower-case names whose values are taken from
// header (so the caller puts "host" there).
func CanonicalRequest(method, path, canonicalQuery string, header http.Header, signedHeaders []string, payloadHash string) string {
	return canonical.Request(method, path, canonicalQuery, header, signedHeaders, payloadHash)
}

// stringToSign is ACS3-HMAC-SHA256 step 2.
func stringToSign(canonicalRequest string) string {
	return SigningAlgorithm + "\n" + canonical.HexSHA256([]byte(canonicalRequest))
}

// signature is step 3: keyed with the raw secret, no "&" appended.
func signature(secret, stringToSign string) string {
	return canonical.HexHMACSHA256(secret, stringToSign)
}

// signedHeaderNames returns the lower-case names to sign in h: host, every
// x-acs-* header and content-type, sorted and without duplicates.
func signedHeaderNames(h http.Header) []string {
	seen := map[string]bool{"host": true}
	names := []string{"host"}
	for k := range h {
		n := strings.ToLower(k)
		if seen[n] || !(strings.HasPrefix(n, "x-acs-") || n == "content-type") {
			continue
		}
		seen[n] = true
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Sign signs req in place with ACS3-HMAC-SHA256. It sets x-acs-date (now,
// UTC), x-acs-signature-nonce, x-acs-content-sha256 (of body, the exact
// bytes sent), x-acs-security-token when cred has one, and Authorization.
// It signs host (req.Host, else req.URL.Host), every x-acs-* header and
// content-type when present. The query signed is req.URL.RawQuery parsed
// and re-canonicalized; send it in canonical form (CanonicalQuery). nonce
// must be unique per attempt (NewNonce).
func Sign(req *http.Request, body []byte, cred Credentials, nonce string, now time.Time) error {
	if req == nil || req.URL == nil {
		return errors.New("sign: nil request")
	}
	if cred.AccessKeyID == "" || cred.AccessKeySecret == "" {
		return errors.New("sign: access key id and secret are required")
	}
	if nonce == "" {
		return errors.New("sign: empty nonce")
	}
	q, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return errors.New("sign: parsing query: " + err.Error())
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	payloadHash := canonical.HexSHA256(body)
	req.Header.Set(headerDate, now.UTC().Format(DateFormat))
	req.Header.Set(headerNonce, nonce)
	req.Header.Set(headerContentSHA256, payloadHash)
	if cred.SecurityToken != "" {
		req.Header.Set(headerSecurityToken, cred.SecurityToken)
	}
	h := canonical.WithHost(req)
	signed := signedHeaderNames(h)

	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	cr := CanonicalRequest(method, canonicalPath(req.URL.Path), CanonicalQuery(q), h, signed, payloadHash)
	req.Header.Set("Authorization", SigningAlgorithm+" Credential="+cred.AccessKeyID+
		",SignedHeaders="+strings.Join(signed, ";")+",Signature="+signature(cred.AccessKeySecret, stringToSign(cr)))
	return nil
}

// NewNonce returns 16 random bytes in hex, for x-acs-signature-nonce.
func NewNonce() string {
	var b [16]byte
	// crypto/rand.Read never returns an error (it crashes the program
	// irrecoverably instead), so there is nothing to handle.
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
