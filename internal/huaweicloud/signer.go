package huaweicloud

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/canonical"
)

// SigningAlgorithm is the name of Huawei Cloud's AK/SK signing scheme.
const SigningAlgorithm = "SDK-HMAC-SHA256"

// DateFormat is the layout of the X-Sdk-Date header (always UTC).
const DateFormat = "20060102T150405Z"

// Header names the signer sets or signs.
const (
	headerSdkDate       = "X-Sdk-Date"
	headerSecurityToken = "X-Security-Token"
	headerProjectID     = "X-Project-Id"
	headerContentType   = "Content-Type"
)

// optionalSignedHeaders are signed whenever the request carries them;
// host and x-sdk-date are always signed.
var optionalSignedHeaders = []string{"content-type", "x-project-id", "x-security-token"}

// Credentials are a Huawei Cloud access key pair, with the security token
// of temporary credentials when there is one.
type Credentials struct {
	AccessKey, SecretKey, SecurityToken string
}

// escapePath percent-encodes each "/"-separated segment of an unescaped
// path, keeping the slashes. It is the canonical URI without the trailing
// slash the signature adds, i.e. the form the client sends.
func escapePath(path string) string { return canonical.Path(path) }

// CanonicalURI returns the canonical URI of an unescaped path: every
// segment percent-encoded (the signing procedure's step 1, package doc) and a "/" appended when
// the path does not end with one. The trailing slash is for signing only.
func CanonicalURI(path string) string {
	p := escapePath(path)
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// CanonicalQuery returns the canonical query string: names and values
// percent-encoded like path segments (space is %20, never +), sorted by
// name and then by value, "k=v" pairs joined with "&" ("k=" for an empty
// value). The client sends exactly this string as the raw query, so the
// bytes signed are the bytes sent. An empty q gives "".
func CanonicalQuery(q url.Values) string { return canonical.Query(q) }

// CanonicalRequest builds the canonical request text (the signing
// procedure, package doc; canonical.Request) with the hash of body.
// canonicalURI and canonicalQuery are already canonical (see CanonicalURI
// and CanonicalQuery); signedHeaders are lower-case names, and their values
// are taken from header (so the caller puts "host" there).
func CanonicalRequest(method, canonicalURI, canonicalQuery string, header http.Header, signedHeaders []string, body []byte) string {
	return canonical.Request(method, canonicalURI, canonicalQuery, header, signedHeaders, canonical.HexSHA256(body))
}

// stringToSign is the string to sign of the signing procedure.
func stringToSign(sdkDate, canonicalRequest string) string {
	return SigningAlgorithm + "\n" + sdkDate + "\n" + canonical.HexSHA256([]byte(canonicalRequest))
}

// signature is the hex HMAC-SHA256 of the string to sign under the
// secret key.
func signature(secretKey, stringToSign string) string {
	return canonical.HexHMACSHA256(secretKey, stringToSign)
}

// Sign signs req in place for Huawei Cloud: it sets X-Sdk-Date (now, in
// UTC), X-Security-Token when cred has one, and Authorization. The signed
// headers are host (req.Host, else req.URL.Host), x-sdk-date, and
// content-type, x-project-id and x-security-token when present. The query
// signed is req.URL.RawQuery parsed and re-canonicalized; send it in its
// canonical form (CanonicalQuery) so that signer and server agree. body
// must be the exact bytes sent.
func Sign(req *http.Request, body []byte, cred Credentials, now time.Time) error {
	if req == nil || req.URL == nil {
		return errors.New("sign: nil request")
	}
	if cred.AccessKey == "" || cred.SecretKey == "" {
		return errors.New("sign: access key and secret key are required")
	}
	q, err := url.ParseQuery(req.URL.RawQuery)
	if err != nil {
		return fmt.Errorf("sign: parsing query: %w", err)
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	date := now.UTC().Format(DateFormat)
	req.Header.Set(headerSdkDate, date)
	if cred.SecurityToken != "" {
		req.Header.Set(headerSecurityToken, cred.SecurityToken)
	}

	h := canonical.WithHost(req)
	signed := []string{"host", "x-sdk-date"}
	for _, n := range optionalSignedHeaders {
		if canonical.HeaderValue(req.Header, n) != "" {
			signed = append(signed, n)
		}
	}
	signed = canonical.SortedLower(signed)

	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	cr := CanonicalRequest(method, CanonicalURI(req.URL.Path), CanonicalQuery(q), h, signed, body)
	sig := signature(cred.SecretKey, stringToSign(date, cr))
	req.Header.Set("Authorization", SigningAlgorithm+" Access="+cred.AccessKey+
		", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
	return nil
}
