package transport

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// What the transport masks, wherever text reaches a log line or an error:
//
//   - every secret the client knows: Options.Secrets (the configured keys
//     and tokens) and every value given to AddSecret later (temporary
//     credentials and OIDC tokens obtained at run time), also in their
//     percent-encoded forms;
//   - every value a request carried in a credential header (MaskHeaders'
//     list: Authorization, X-Security-Token, ...), remembered when the
//     request is sent, so a server that echoes it in its answer has it
//     masked in the error built from that answer;
//   - every "Signature=" value (Huawei's and Alibaba's Authorization
//     headers, the legacy RPC query parameter).
//
// The clouds' clients (internal/huaweicloud, internal/alicloud) mask API
// error text with APIError.Masked and Response.Mask; the transport masks
// its own errors (Error) and, through tflog, every log line it writes.

// signatureValue matches a signature in an Authorization header or a
// query: the value runs to the next separator.
var signatureValue = regexp.MustCompile(`(?i)(signature=)[^\s,&;"'<>]+`)

// secretSet is the client's list of secret values. It only grows.
type secretSet struct {
	mu   sync.RWMutex
	list []string // longest first, so that a secret containing another is masked whole
	seen map[string]struct{}
}

// add records s and its percent-encoded forms.
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

func (s *secretSet) mask(text string) string {
	s.mu.RLock()
	for _, v := range s.list {
		if strings.Contains(text, v) {
			text = strings.ReplaceAll(text, v, Masked)
		}
	}
	s.mu.RUnlock()
	return signatureValue.ReplaceAllString(text, "${1}"+Masked)
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
		return signatureValue.ReplaceAllString(text, "${1}"+Masked)
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

// Do sends r, retrying as the package documentation describes, and returns
// the final response for any HTTP status. The error is non-nil only when no
// usable response was had (see Error). Log lines and the error are masked
// (see Mask).
func (c *Client) Do(ctx context.Context, r *Request) (*Response, error) {
	resp, err := c.do(c.maskLogs(ctx, r), r)
	if resp != nil {
		resp.mask = c.Mask
	}
	var te *Error
	if errors.As(err, &te) {
		te.mask = c.Mask
	}
	return resp, err
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
