package emulator

import (
	"net/http"
	"time"
)

// APICredentialsURI is a credentials_uri (the aliyun CLI's and
// credentials-go's mode CredentialsURI): a plain GET of CredentialsURIPath
// answers credentials in the metadata service's form.
const APICredentialsURI = "credentials-uri"

// CredentialsURIPath is where the emulator answers as a credentials_uri.
const CredentialsURIPath = "/opsaudit/credentials"

// IssuerAliURI is the IssuedBy of credentials of APICredentialsURI.
const IssuerAliURI = "ali-credentials-uri"

func init() {
	registerCredentials(&credService{name: APICredentialsURI, serve: (*credCall).credentialsURI,
		match: func(r *http.Request) bool { return r.URL.Path == CredentialsURIPath }})
}

// credentialsURI answers a plain GET with credentials, as a credentials_uri does.
func (c *credCall) credentialsURI() *response {
	if c.r.Method != http.MethodGet {
		return plain(http.StatusMethodNotAllowed, "Method Not Allowed")
	}
	now := c.s.now()
	ak, is := c.s.creds.issue(now, c.s.lifetime(time.Hour), false, IssuerAliURI, "")
	return &response{status: http.StatusOK, header: http.Header{"Content-Type": {"application/json"}},
		body: marshal(metadataAnswer{Code: "Success", LastUpdated: now.UTC().Format(aliDateFmt), stsCredentials: aliCredentials(ak, is)})}
}
