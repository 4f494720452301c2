package alicloud

import (
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // the RPC signature of SignatureVersion 1.0 is HMAC-SHA1 by definition (the STS clients send it); SHA-1 is keyed here, not used for collision resistance
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/canonical"
)

// The RPC signature of SignatureVersion 1.0 (HMAC-SHA1), the one the
// official credentials library (github.com/aliyun/credentials-go) and the
// STS SDK send to STS, and darabonba-openapi's DoRPCRequest to any RPC
// API
// (https://www.alibabacloud.com/help/en/sdk/product-overview/rpc-mechanism).
// Every parameter but Signature, from the query and from a form body
// alike, is signed:
//
//  1. canonicalized query: the parameters percent-encoded as for ACS3
//     (canonical.Query), sorted by name and then value, "k=v" joined
//     with "&";
//  2. string to sign: METHOD + "&%2F&" + percent-encode(canonicalized query);
//  3. signature: Base64(HMAC-SHA1(secret + "&", string to sign)), sent
//     as the Signature query parameter.

// RPC signature parameters and their fixed values.
const (
	RPCSignatureMethod  = "HMAC-SHA1"
	RPCSignatureVersion = "1.0"
	// RPCTimestampFormat is the layout of the Timestamp parameter (UTC).
	RPCTimestampFormat = "2006-01-02T15:04:05Z"
)

// RPCCanonicalQuery is step 1: every parameter of params but Signature,
// canonicalized.
func RPCCanonicalQuery(params url.Values) string {
	if _, ok := params["Signature"]; ok {
		params = cloneValues(params)
		delete(params, "Signature")
	}
	return canonical.Query(params)
}

// rpcStringToSign is step 2.
func rpcStringToSign(method, canonicalQuery string) string {
	return method + "&" + canonical.Escape("/") + "&" + canonical.Escape(canonicalQuery)
}

// rpcSignature is step 3: keyed with the secret followed by "&".
func rpcSignature(secret, stringToSign string) string {
	m := hmac.New(sha1.New, []byte(secret+"&"))
	m.Write([]byte(stringToSign))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// RPCSignature returns the Signature of a request with these parameters
// (query and form body together; a Signature among them is ignored)
// sent with method, under secret.
func RPCSignature(method string, params url.Values, secret string) string {
	if method == "" {
		method = http.MethodGet
	}
	return rpcSignature(secret, rpcStringToSign(method, RPCCanonicalQuery(params)))
}

// SignRPC signs an RPC request the SignatureVersion 1.0 way. It sets, in
// query, the signature parameters (AccessKeyId, SignatureMethod,
// SignatureVersion, SignatureNonce, Timestamp from now in UTC, and
// SecurityToken when cred has one) and then Signature, computed over query
// and form (the parameters of a form body, which are signed but not
// added to the query). nonce must be unique per attempt (NewNonce).
// Send query as the canonical query string (CanonicalQuery) and form as
// the application/x-www-form-urlencoded body.
func SignRPC(method string, query, form url.Values, cred Credentials, nonce string, now time.Time) error {
	if query == nil {
		return errors.New("sign: nil query")
	}
	if cred.AccessKeyID == "" || cred.AccessKeySecret == "" {
		return errors.New("sign: access key id and secret are required")
	}
	if nonce == "" {
		return errors.New("sign: empty nonce")
	}
	query.Set("AccessKeyId", cred.AccessKeyID)
	query.Set("SignatureMethod", RPCSignatureMethod)
	query.Set("SignatureVersion", RPCSignatureVersion)
	query.Set("SignatureNonce", nonce)
	query.Set("Timestamp", now.UTC().Format(RPCTimestampFormat))
	if cred.SecurityToken != "" {
		query.Set("SecurityToken", cred.SecurityToken)
	} else {
		query.Del("SecurityToken")
	}
	query.Del("Signature")
	all := cloneValues(query)
	for k, vs := range form {
		all[k] = append(all[k], vs...)
	}
	query.Set("Signature", RPCSignature(method, all, cred.AccessKeySecret))
	return nil
}

func cloneValues(v url.Values) url.Values {
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
