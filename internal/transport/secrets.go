package transport

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// What the transport masks, wherever text reaches a log line or an error:
//
//   - every secret the client knows: Options.Secrets (the configured keys
//     and tokens) and every value given to AddSecret later (temporary
//     credentials, OIDC and metadata tokens obtained at run time),
//     whole and every run of SecretRun bytes of it, as it is and in its
//     URL-encoded, JSON-escaped and HTML-escaped forms (masker.go);
//   - every value a request carried in a credential header (MaskHeaders'
//     list: Authorization, X-Security-Token, the metadata services'
//     session tokens, ...), remembered when the request is sent, so a
//     server that echoes it in its answer has it masked in the error
//     built from that answer;
//   - every "Signature=" value (Huawei's and Alibaba's Authorization
//     headers, the legacy RPC query parameter).
//
// The transport masks the body of every error answer (non-2xx) whole as
// it arrives, and every response header, before any code cuts them to a
// length for an error message; its own errors (Error); and every field of
// the log lines it writes (logDebug: tflog masks string fields, not the
// values of a map such as request_headers). The clouds' clients mask API
// error text once more with apierror.APIError.Masked and Response.Mask, with the
// secrets known by then, and the provider masks every diagnostic of a
// read (clouds.Meta.AddError).

// signatureValue matches a signature in an Authorization header or a
// query: the value runs to the next separator.
var signatureValue = regexp.MustCompile(`(?i)(signature=)[^\s,&;"'<>]+`)

// secretSet is the client's list of secret values. It only grows.
type secretSet struct {
	mu   sync.RWMutex
	list []string // longest first, so that a secret containing another is masked whole
	seen map[string]struct{}
	// match finds every secret's runs, escaped or not (masker.go); it is
	// replaced, never changed, when a secret is added.
	match atomic.Pointer[matcher]
}

// add records s: its runs for the masker, and it and its percent-encoded
// forms for tflog's own masking of log messages (MaskLogStrings).
func (s *secretSet) add(secret string) {
	if secret == "" {
		return
	}
	forms := []string{secret, url.QueryEscape(secret), url.PathEscape(secret)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]struct{}{}
	}
	if _, ok := s.seen[secret]; !ok {
		s.match.Store(s.match.Load().with(secret))
	}
	added := false
	for _, f := range forms {
		if _, ok := s.seen[f]; ok {
			continue
		}
		s.seen[f] = struct{}{}
		s.list = append(s.list, f)
		added = true
	}
	if added {
		slices.SortStableFunc(s.list, func(a, b string) int { return len(b) - len(a) })
	}
}

func (s *secretSet) snapshot() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return slices.Clone(s.list)
}

// mask masks every run of every secret (masker.go), then every
// Signature= value.
func (s *secretSet) mask(text string) string {
	return maskSignatures(s.match.Load().mask(text))
}

// maskSignatures replaces every Signature= value with Masked. The regular
// expression runs only on a text that has one: it costs about 50 ns a
// byte, far more than the search for secrets.
func maskSignatures(text string) string {
	for i := 0; ; {
		j := strings.IndexByte(text[i:], '=')
		if j < 0 {
			return text
		}
		i += j + 1
		if i > len("signature") && strings.EqualFold(text[i-1-len("signature"):i-1], "signature") {
			return signatureValue.ReplaceAllString(text, "${1}"+Masked)
		}
	}
}

// AddSecret makes s masked from now on in the client's log lines and in
// the error text it returns (Mask). Credential sources call it with the
// temporary secrets and tokens they obtain at run time. Empty strings are
// ignored; it is safe for concurrent use.
func (c *Client) AddSecret(s string) {
	c.secretSet().add(s)
}

// Mask returns text with every secret the client knows (see AddSecret)
// and every Signature= value replaced by Masked. Error text a server sent
// passes through it before it reaches a diagnostic.
func (c *Client) Mask(text string) string {
	if c == nil {
		return maskSignatures(text)
	}
	return c.secretSet().mask(text)
}

// secretSet returns the client's set, creating it from Options.Secrets on
// first use (a Client made as a literal in tests has none).
func (c *Client) secretSet() *secretSet {
	c.secretsOnce.Do(func() {
		for _, s := range c.opts.Secrets {
			c.masked.add(s)
		}
	})
	return &c.masked
}

// maskLogs returns ctx with the client's secrets and Signature= values
// masked in every tflog line written with it.
func (c *Client) maskLogs(ctx context.Context, r *Request) context.Context {
	for k, vs := range r.Header {
		if secretHeaders[strings.ToLower(k)] {
			for _, v := range vs {
				c.AddSecret(v)
			}
		}
	}
	if list := c.secretSet().snapshot(); len(list) > 0 {
		ctx = tflog.MaskLogStrings(ctx, list...)
	}
	return tflog.MaskLogRegexes(ctx, signatureValue)
}

// Mask masks text with the secrets of the client that produced r (see
// Client.Mask); a Response not made by a Client masks Signature= values
// only.
func (r *Response) Mask(text string) string {
	if r == nil || r.mask == nil {
		return (*Client)(nil).Mask(text)
	}
	return r.mask(text)
}

// rememberingTransport records the value of every credential header a
// request carries as a secret of the client before sending it, and masks
// the response's headers.
type rememberingTransport struct {
	next http.RoundTripper
	c    *Client
}

func (t *rememberingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	for k, vs := range req.Header {
		if !secretHeaders[strings.ToLower(k)] {
			continue
		}
		for _, v := range vs {
			if strings.EqualFold(k, "Authorization") {
				// The signature is masked by pattern; the rest of the
				// header (algorithm, access key id, signed headers) is
				// not secret and changes with every request.
				continue
			}
			t.c.AddSecret(v)
		}
	}
	res, err := t.next.RoundTrip(req)
	if res != nil {
		// Response headers reach log lines (the request id) before
		// anything else sees them: mask them at once.
		for _, vs := range res.Header {
			for i, v := range vs {
				vs[i] = t.c.Mask(v)
			}
		}
	}
	return res, err
}

// remembering returns hc with its transport wrapped by rememberingTransport.
func (c *Client) remembering(hc *http.Client) *http.Client {
	next := hc.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	out := *hc
	out.Transport = &rememberingTransport{next: next, c: c}
	return &out
}
