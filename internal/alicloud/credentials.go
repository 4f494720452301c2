package alicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credcache"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/transport"
)

// Durations of STS credentials, in seconds
// (https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole).
const (
	DefaultDuration = 3600
	MinDuration     = 900
	MaxDuration     = 43200
)

// DefaultSharedCredentialsFile is where the aliyun CLI keeps its profiles.
const DefaultSharedCredentialsFile = "~/.aliyun/config.json"

// DefaultSessionName is the role session name when none is set.
const DefaultSessionName = "terraform"

const stsVersion = "2015-04-01"

// AssumeRole is the assume_role block: STS AssumeRole from the base
// credentials.
type AssumeRole struct {
	RoleARN, SessionName, Policy, ExternalID string
	// SessionExpiration is in seconds; 0 means DefaultDuration.
	SessionExpiration int
}

// AssumeRoleWithOIDC is the assume_role_with_oidc block: STS
// AssumeRoleWithOIDC, trading an OIDC token (from a CI system) for a
// role's temporary credentials.
type AssumeRoleWithOIDC struct {
	OIDCProviderARN, RoleARN string
	// OIDCToken is the token itself; OIDCTokenFile a file holding it,
	// read again at each refresh (CI systems rotate it).
	OIDCToken, OIDCTokenFile string
	RoleSessionName, Policy  string
	// SessionExpiration is in seconds; 0 means DefaultDuration.
	SessionExpiration int
}

// Settings and environment variables of each source, as errors name them.
const (
	settingsKeys    = "access_key (ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY) and secret_key (ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY)"
	settingsProfile = "profile (ALIBABA_CLOUD_PROFILE or ALICLOUD_PROFILE) of shared_credentials_file (ALIBABA_CLOUD_CREDENTIALS_FILE)"
	settingsECS     = "ecs_role_name (ALIBABA_CLOUD_ECS_METADATA or ALICLOUD_ECS_ROLE_NAME)"
	settingsURI     = "credentials_uri (ALIBABA_CLOUD_CREDENTIALS_URI)"
	settingsOIDC    = "assume_role_with_oidc: oidc_provider_arn (ALIBABA_CLOUD_OIDC_PROVIDER_ARN), role_arn (ALIBABA_CLOUD_ROLE_ARN), oidc_token (ALIBABA_CLOUD_OIDC_TOKEN) or oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE)"
	settingsAssume  = "assume_role: role_arn (ALIBABA_CLOUD_ROLE_ARN)"
)

// credentials is the Client's credentials layer: it picks the source the
// settings select (access key and secret key, else the aliyun CLI
// profile, else ecs_role_name or credentials_uri, else
// assume_role_with_oidc; then assume_role, when set, trades them for the
// role's), caches temporary credentials and refreshes them before they
// expire, once for all concurrent requests (internal/credcache).
type credentials struct {
	c     *Client
	chain *credcache.Chain[Credentials]
}

func newCredentials(c *Client) *credentials {
	l := &credentials{c: c}
	l.chain = credcache.NewChain(l.build)
	return l
}

// get returns the current credentials.
func (l *credentials) get(ctx context.Context) (Credentials, error) { return l.chain.Get(ctx) }

// cache caches the credentials of the source named source, selected by
// settings (credcache.Source: errors name them, each fetch is logged); the
// secrets it obtains are masked from then on.
func (l *credentials) cache(source, settings string, fetch credcache.Fetch[Credentials]) *credcache.Cache[Credentials] {
	return credcache.New(credcache.Source("alicloud", source, settings, fetch, func(cred Credentials) {
		l.c.tr.AddSecret(cred.AccessKeySecret)
		l.c.tr.AddSecret(cred.SecurityToken)
	}), func() time.Time { return l.c.now() })
}

func (l *credentials) static(cred Credentials) *credcache.Cache[Credentials] {
	return l.cache("access_key", settingsKeys, func(context.Context) (Credentials, time.Time, error) {
		return cred, time.Time{}, nil
	})
}

func (l *credentials) build() (*credcache.Cache[Credentials], error) {
	cfg := l.c.cfg
	var base *credcache.Cache[Credentials]
	var source string
	switch {
	case cfg.AccessKey != "" || cfg.SecretKey != "":
		var missing []string
		if cfg.AccessKey == "" {
			missing = append(missing, "access_key (ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY)")
		}
		if cfg.SecretKey == "" {
			missing = append(missing, "secret_key (ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY)")
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("incomplete Alibaba Cloud credentials: set %s in the provider's alicloud block or the environment",
				strings.Join(missing, " and "))
		}
		source = "access_key"
		base = l.static(Credentials{AccessKeyID: cfg.AccessKey, AccessKeySecret: cfg.SecretKey, SecurityToken: cfg.SecurityToken})
	case cfg.SharedCredentialsFile != "" || cfg.Profile != "":
		source = "profile"
		p := &profileSource{l: l, file: cfg.SharedCredentialsFile, name: cfg.Profile}
		base = l.cache(source, settingsProfile, p.fetch)
	case cfg.ECSRoleName != "" && cfg.CredentialsURI != "":
		return nil, errors.New("conflicting Alibaba Cloud credentials: set ecs_role_name (ALIBABA_CLOUD_ECS_METADATA or ALICLOUD_ECS_ROLE_NAME) or credentials_uri (ALIBABA_CLOUD_CREDENTIALS_URI), not both")
	case cfg.ECSRoleName != "":
		source = "ecs_role_name"
		role := cfg.ECSRoleName
		base = l.cache(source, settingsECS, func(ctx context.Context) (Credentials, time.Time, error) {
			return l.c.instanceRole(ctx, role)
		})
	case cfg.CredentialsURI != "":
		if u, err := url.Parse(cfg.CredentialsURI); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, errors.New("credentials_uri (ALIBABA_CLOUD_CREDENTIALS_URI) must be an absolute http(s) URL")
		}
		source = "credentials_uri"
		uri := cfg.CredentialsURI
		base = l.cache(source, settingsURI, func(ctx context.Context) (Credentials, time.Time, error) {
			return l.c.credentialsURI(ctx, uri)
		})
	case cfg.OIDC != nil:
		o := *cfg.OIDC
		if err := o.check(); err != nil {
			return nil, err
		}
		source = "assume_role_with_oidc"
		base = l.cache(source, settingsOIDC, func(ctx context.Context) (Credentials, time.Time, error) {
			return l.c.assumeRoleWithOIDC(ctx, o)
		})
	default:
		return nil, errors.New("missing Alibaba Cloud credentials: set access_key (ALIBABA_CLOUD_ACCESS_KEY_ID or ALICLOUD_ACCESS_KEY) " +
			"and secret_key (ALIBABA_CLOUD_ACCESS_KEY_SECRET or ALICLOUD_SECRET_KEY) in the provider's alicloud block or the environment, " +
			"or an aliyun CLI profile (profile, ALIBABA_CLOUD_PROFILE; shared_credentials_file, ALIBABA_CLOUD_CREDENTIALS_FILE), " +
			"ecs_role_name (ALIBABA_CLOUD_ECS_METADATA), credentials_uri (ALIBABA_CLOUD_CREDENTIALS_URI), or assume_role_with_oidc " +
			"(ALIBABA_CLOUD_OIDC_PROVIDER_ARN, ALIBABA_CLOUD_ROLE_ARN and ALIBABA_CLOUD_OIDC_TOKEN_FILE)")
	}
	ar := cfg.AssumeRole
	if ar == nil {
		return base, nil
	}
	if ar.RoleARN == "" {
		return nil, errors.New("incomplete Alibaba Cloud assume_role: set role_arn (ALIBABA_CLOUD_ROLE_ARN)")
	}
	return l.assume("assume_role with "+source, settingsAssume, base, *ar), nil
}

// assume caches the credentials of role ar assumed with base's.
func (l *credentials) assume(source, settings string, base *credcache.Cache[Credentials], ar AssumeRole) *credcache.Cache[Credentials] {
	return l.cache(source, settings, func(ctx context.Context) (Credentials, time.Time, error) {
		return l.c.assumeRole(ctx, base, ar)
	})
}

func (o AssumeRoleWithOIDC) check() error {
	var missing []string
	if o.OIDCProviderARN == "" {
		missing = append(missing, "oidc_provider_arn (ALIBABA_CLOUD_OIDC_PROVIDER_ARN)")
	}
	if o.RoleARN == "" {
		missing = append(missing, "role_arn (ALIBABA_CLOUD_ROLE_ARN)")
	}
	if o.OIDCToken == "" && o.OIDCTokenFile == "" {
		missing = append(missing, "oidc_token (ALIBABA_CLOUD_OIDC_TOKEN) or oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE)")
	}
	if len(missing) > 0 {
		return fmt.Errorf("incomplete Alibaba Cloud assume_role_with_oidc: set %s", strings.Join(missing, " and "))
	}
	return nil
}

func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// stsCredentials is the Credentials object of the STS answers.
type stsCredentials struct {
	AccessKeyID     string `json:"AccessKeyId"`
	AccessKeySecret string `json:"AccessKeySecret"`
	SecurityToken   string `json:"SecurityToken"`
	Expiration      string `json:"Expiration"`
}

// decode checks the credentials of an answer; errors describe what is
// missing, never the values (the answer carries secrets).
func (s *stsCredentials) decode(op string) (Credentials, time.Time, error) {
	if s == nil || s.AccessKeyID == "" || s.AccessKeySecret == "" || s.SecurityToken == "" || s.Expiration == "" {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer lacks AccessKeyId, AccessKeySecret, SecurityToken or Expiration", op)
	}
	exp, err := time.Parse(time.RFC3339, s.Expiration)
	if err != nil {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: Expiration %q is not an RFC 3339 time", op, s.Expiration)
	}
	return Credentials{AccessKeyID: s.AccessKeyID, AccessKeySecret: s.AccessKeySecret, SecurityToken: s.SecurityToken}, exp, nil
}

func decodeSTS(op string, body []byte) (Credentials, time.Time, error) {
	var r struct {
		Credentials *stsCredentials `json:"Credentials"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer is not the JSON the API documents", op)
	}
	return r.Credentials.decode(op)
}

// assumeRole calls STS AssumeRole, signed with the base credentials.
func (c *Client) assumeRole(ctx context.Context, base *credcache.Cache[Credentials], ar AssumeRole) (Credentials, time.Time, error) {
	if _, err := base.Get(ctx); err != nil {
		return Credentials{}, time.Time{}, err
	}
	params := url.Values{
		"RoleArn":         {ar.RoleARN},
		"RoleSessionName": {orDefault(ar.SessionName, DefaultSessionName)},
		"DurationSeconds": {strconv.Itoa(orDefault(ar.SessionExpiration, DefaultDuration))},
	}
	if ar.Policy != "" {
		params.Set("Policy", ar.Policy)
	}
	if ar.ExternalID != "" {
		params.Set("ExternalId", ar.ExternalID)
	}
	resp, err := c.rpc(ctx, RPCCall{Product: "sts", Action: "AssumeRole", Version: stsVersion, Region: c.homeRegion(), Params: params, noRegionID: true},
		func(ctx context.Context) (Credentials, error) { return base.Get(ctx) })
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeSTS("AssumeRole", resp.Body)
}

// assumeRoleWithOIDC calls STS AssumeRoleWithOIDC, which is not signed:
// the OIDC token is the proof. Its parameters go in a form body, so the
// token is never part of a URL (nor of a logged query).
func (c *Client) assumeRoleWithOIDC(ctx context.Context, o AssumeRoleWithOIDC) (Credentials, time.Time, error) {
	tok := o.OIDCToken
	if o.OIDCTokenFile != "" {
		var err error
		if tok, err = credcache.ReadTokenFile(ctx, "oidc_token_file (ALIBABA_CLOUD_OIDC_TOKEN_FILE)", o.OIDCTokenFile); err != nil {
			return Credentials{}, time.Time{}, err
		}
	}
	c.tr.AddSecret(tok)
	params := url.Values{
		"OIDCProviderArn": {o.OIDCProviderARN},
		"RoleArn":         {o.RoleARN},
		"OIDCToken":       {tok},
		"RoleSessionName": {orDefault(o.RoleSessionName, DefaultSessionName)},
		"DurationSeconds": {strconv.Itoa(orDefault(o.SessionExpiration, DefaultDuration))},
	}
	if o.Policy != "" {
		params.Set("Policy", o.Policy)
	}
	resp, err := c.rpc(ctx, RPCCall{Product: "sts", Action: "AssumeRoleWithOIDC", Version: stsVersion, Region: c.homeRegion(),
		Params: params, form: true, noRegionID: true}, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeSTS("AssumeRoleWithOIDC", resp.Body)
}

// metadataCredentials is the answer of the instance metadata service and
// of a credentials_uri.
type metadataCredentials struct {
	Code string `json:"Code"`
	stsCredentials
}

func decodeMetadata(op string, body []byte) (Credentials, time.Time, error) {
	var r metadataCredentials
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer is not JSON credentials", op)
	}
	if r.Code != "" && r.Code != "Success" {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer's Code is %q, not Success", op, r.Code)
	}
	return r.decode(op)
}

// plainGet sends an unsigned request and returns a 2xx answer, or an
// error with the status and the answer's Code when it has one.
func (c *Client) plainGet(ctx context.Context, op, method, u string, h http.Header) (*transport.Response, error) {
	resp, err := c.tr.Do(ctx, &transport.Request{Operation: op, Method: method, URL: u, Header: h})
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, DecodeError(op, resp.StatusCode, resp.Header, resp.Body)
	}
	return resp, nil
}

// instanceRole reads the credentials of the instance's RAM role through
// IMDSv2: a session token first, then the role's credentials with it
// (https://www.alibabacloud.com/help/en/ecs/user-guide/view-instance-metadata).
func (c *Client) instanceRole(ctx context.Context, role string) (Credentials, time.Time, error) {
	ep, err := c.Endpoint("imds", c.cfg.Region)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	resp, err := c.plainGet(ctx, "GetMetadataToken", http.MethodPut, ep+"/latest/api/token",
		http.Header{"X-Aliyun-Ecs-Metadata-Token-Ttl-Seconds": {"21600"}})
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	token := strings.TrimSpace(string(resp.Body))
	if token == "" {
		return Credentials{}, time.Time{}, errors.New("GetMetadataToken: the answer is empty")
	}
	c.tr.AddSecret(token)
	const op = "GetRoleCredentials"
	resp, err = c.plainGet(ctx, op, http.MethodGet, ep+"/latest/meta-data/ram/security-credentials/"+url.PathEscape(role),
		http.Header{"X-Aliyun-Ecs-Metadata-Token": {token}})
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeMetadata(op, resp.Body)
}

// credentialsURI reads credentials from a URI answering a GET with the
// instance metadata service's JSON.
func (c *Client) credentialsURI(ctx context.Context, uri string) (Credentials, time.Time, error) {
	const op = "GetCredentialsURI"
	resp, err := c.plainGet(ctx, op, http.MethodGet, uri, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeMetadata(op, resp.Body)
}

type cliProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"access_key_id"`
	AccessKeySecret string `json:"access_key_secret"`
	STSToken        string `json:"sts_token"`
	RAMRoleARN      string `json:"ram_role_arn"`
	RAMSessionName  string `json:"ram_session_name"`
	ExpiredSeconds  int    `json:"expired_seconds"`
	RAMRoleName     string `json:"ram_role_name"`
	RegionID        string `json:"region_id"`
	OIDCProviderARN string `json:"oidc_provider_arn"`
	OIDCTokenFile   string `json:"oidc_token_file"`
}

// profileSource is a profile of the aliyun CLI file: read at the first
// use, it becomes a source of its own by mode (AK, StsToken, RamRoleArn,
// EcsRamRole, OIDC), which then caches and refreshes as any other.
type profileSource struct {
	l          *credentials
	file, name string

	mu    sync.Mutex
	inner *credcache.Cache[Credentials]
}

func (p *profileSource) fetch(ctx context.Context) (Credentials, time.Time, error) {
	p.mu.Lock()
	inner := p.inner
	if inner == nil {
		var err error
		if inner, err = p.resolve(ctx); err != nil {
			p.mu.Unlock()
			return Credentials{}, time.Time{}, err
		}
		p.inner = inner
	}
	p.mu.Unlock()
	// The same expiry: this layer's refresh is due no earlier than the
	// inner one's (credcache.RefreshAt), so it always gets fresh ones.
	return inner.GetWithExpiry(ctx)
}

// aliyunCLIFile names the aliyun CLI file's setting in errors.
const aliyunCLIFile = "shared_credentials_file (ALIBABA_CLOUD_CREDENTIALS_FILE)"

// aliyunCLI is the aliyun CLI's config.json (DefaultSharedCredentialsFile).
var aliyunCLI = credcache.ProfileCLI[cliProfile]{
	Name: "aliyun CLI", DefaultFile: DefaultSharedCredentialsFile, ProfileSetting: "profile (ALIBABA_CLOUD_PROFILE)",
	NameOf: func(p *cliProfile) string { return p.Name },
}

// profileRegion is the region_id of the aliyun CLI profile the settings
// name, or "" when they name none or it cannot be read (the credentials
// then say why). It is read once.
func (c *Client) profileRegion() string {
	if c.cfg.SharedCredentialsFile == "" && c.cfg.Profile == "" {
		return ""
	}
	c.profileRegionOnce.Do(func() {
		// No read is running yet: the region is resolved before it. The
		// file is refused at once if it is not a regular file, and
		// read whole only up to 1 MiB.
		if p, _, err := aliyunCLI.FindProfile(context.Background(), aliyunCLIFile, c.cfg.SharedCredentialsFile, c.cfg.Profile); err == nil {
			c.profileRegionValue = p.RegionID
		}
	})
	return c.profileRegionValue
}

func (p *profileSource) resolve(ctx context.Context) (*credcache.Cache[Credentials], error) {
	prof, file, err := aliyunCLI.FindProfile(ctx, aliyunCLIFile, p.file, p.name)
	if err != nil {
		return nil, err
	}
	name := prof.Name
	where := fmt.Sprintf("profile %q (mode %s) in %s", name, prof.Mode, file)
	keys := func() (Credentials, error) {
		if prof.AccessKeyID == "" || prof.AccessKeySecret == "" {
			return Credentials{}, fmt.Errorf("%s has no access_key_id and access_key_secret", where)
		}
		return Credentials{AccessKeyID: prof.AccessKeyID, AccessKeySecret: prof.AccessKeySecret}, nil
	}
	l := p.l
	source := "profile " + name
	switch prof.Mode {
	case "AK", "":
		cred, err := keys()
		if err != nil {
			return nil, err
		}
		return l.cache(source, settingsProfile, func(context.Context) (Credentials, time.Time, error) { return cred, time.Time{}, nil }), nil
	case "StsToken":
		cred, err := keys()
		if err != nil {
			return nil, err
		}
		if prof.STSToken == "" {
			return nil, fmt.Errorf("%s has no sts_token", where)
		}
		cred.SecurityToken = prof.STSToken
		return l.cache(source, settingsProfile, func(context.Context) (Credentials, time.Time, error) { return cred, time.Time{}, nil }), nil
	case "RamRoleArn":
		cred, err := keys()
		if err != nil {
			return nil, err
		}
		if prof.RAMRoleARN == "" {
			return nil, fmt.Errorf("%s has no ram_role_arn", where)
		}
		base := l.cache(source, settingsProfile, func(context.Context) (Credentials, time.Time, error) { return cred, time.Time{}, nil })
		return l.assume(source+" (RamRoleArn)", settingsProfile, base, AssumeRole{
			RoleARN: prof.RAMRoleARN, SessionName: prof.RAMSessionName, SessionExpiration: prof.ExpiredSeconds,
		}), nil
	case "EcsRamRole":
		if prof.RAMRoleName == "" {
			return nil, fmt.Errorf("%s has no ram_role_name", where)
		}
		role := prof.RAMRoleName
		return l.cache(source+" (EcsRamRole)", settingsProfile, func(ctx context.Context) (Credentials, time.Time, error) {
			return l.c.instanceRole(ctx, role)
		}), nil
	case "OIDC":
		o := AssumeRoleWithOIDC{OIDCProviderARN: prof.OIDCProviderARN, RoleARN: prof.RAMRoleARN, OIDCTokenFile: prof.OIDCTokenFile,
			RoleSessionName: prof.RAMSessionName, SessionExpiration: prof.ExpiredSeconds}
		if o.OIDCProviderARN == "" || o.RoleARN == "" || o.OIDCTokenFile == "" {
			return nil, fmt.Errorf("%s needs oidc_provider_arn, ram_role_arn and oidc_token_file", where)
		}
		return l.cache(source+" (OIDC)", settingsProfile, func(ctx context.Context) (Credentials, time.Time, error) {
			return l.c.assumeRoleWithOIDC(ctx, o)
		}), nil
	default:
		return nil, fmt.Errorf("%s: mode %q is not supported (AK, StsToken, RamRoleArn, EcsRamRole, OIDC)", where, prof.Mode)
	}
}

// homeRegion is the region of the credential services' endpoints: the
// provider's region (configuration, environment, then profile), "" when
// there is none (the endpoint then says it needs one).
func (c *Client) homeRegion() string {
	r, _ := c.Region("")
	return r
}
