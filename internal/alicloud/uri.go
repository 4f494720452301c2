package alicloud

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
)

// uriCandidate is credentials_uri as a source; a value that is not an
// absolute http(s) URL is a source configured in part.
func uriCandidate(v *credchain.Values) credchain.Candidate {
	c := credchain.Candidate{Name: "credentials_uri", Configured: v.Has("credentials_uri"), Needs: v.Name("credentials_uri")}
	if c.Configured && !absoluteURL(v.Str("credentials_uri")) {
		c.Missing = []string{v.Name("credentials_uri") + " as an absolute http(s) URL"}
	}
	return c
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// uriSource caches the credentials a URI answers, named name and selected
// by settings.
func (c *Client) uriSource(name, settings, uri string) *credchain.Cache[Credentials] {
	return c.Factory.Cache(credchain.Source[Credentials]{Name: name, Settings: settings, Temporary: true,
		Fetch: func(ctx context.Context) (Credentials, time.Time, error) { return c.credentialsURI(ctx, uri) }})
}

// credentialsURI reads credentials from a URI answering a GET with the
// instance metadata service's JSON (credentials-go, providers/uri.go).
func (c *Client) credentialsURI(ctx context.Context, uri string) (Credentials, time.Time, error) {
	const op = "GetCredentialsURI"
	resp, err := c.plainGet(ctx, op, http.MethodGet, uri, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeMetadata(op, resp.Body)
}
