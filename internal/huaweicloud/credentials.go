package huaweicloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credcache"
)

// Durations of temporary credentials, in seconds, as IAM allows them
// (https://support.huaweicloud.com/intl/en-us/api-iam/iam_04_0101.html).
const (
	DefaultDuration = 3600
	MinDuration     = 900
	MaxDuration     = 86400
)

// DefaultSharedConfigFile is where KooCLI keeps its profiles.
const DefaultSharedConfigFile = "~/.hcloud/config.json"

// AssumeRole is the assume_role block: the agency whose temporary
// credentials the base credentials are traded for.
type AssumeRole struct {
	AgencyName, DomainName string
	// Duration is in seconds; 0 means DefaultDuration.
	Duration int
}

// AssumeRoleWithOIDC is the assume_role_with_oidc block: an OIDC id token
// (from a CI system) traded for temporary credentials through the identity
// provider IdpID registered in IAM.
type AssumeRoleWithOIDC struct {
	IdpID, DomainID string
	// IDToken is the token itself; IDTokenFile a file holding it, read
	// again at each refresh (CI systems rotate it).
	IDToken, IDTokenFile string
	// Duration is in seconds; 0 means DefaultDuration.
	Duration int
}

// Settings and environment variables of each source, as errors name them.
const (
	settingsKeys    = "access_key (HW_ACCESS_KEY) and secret_key (HW_SECRET_KEY)"
	settingsProfile = "profile (HW_PROFILE) of shared_config_file (HW_SHARED_CONFIG_FILE)"
	settingsOIDC    = "assume_role_with_oidc: idp_id (HW_ASSUME_ROLE_IDP_ID) with id_token (HW_ASSUME_ROLE_ID_TOKEN) or id_token_file (HW_ASSUME_ROLE_ID_TOKEN_FILE)"
	settingsAgency  = "assume_role: agency_name (HW_ASSUME_ROLE_AGENCY_NAME) and domain_name (HW_ASSUME_ROLE_DOMAIN_NAME)"
)

// credentials is the Client's credentials layer: it picks the source the
// settings select (access key and secret key, else the KooCLI profile,
// else assume_role_with_oidc; then assume_role, when set, trades them for
// the agency's), caches temporary credentials and refreshes them before
// they expire, once for all concurrent requests (internal/credcache).
type credentials struct {
	c     *Client
	chain *credcache.Chain[Credentials]
	// from names the settings the credentials come from, for the hint
	// of a refused signature (signatureHint); set by build.
	from string
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
	return credcache.New(credcache.Source("huaweicloud", source, settings, fetch, func(cred Credentials) {
		l.c.tr.AddSecret(cred.SecretKey)
		l.c.tr.AddSecret(cred.SecurityToken)
	}), func() time.Time { return l.c.now() })
}

func (l *credentials) build() (*credcache.Cache[Credentials], error) {
	cfg := l.c.cfg
	var base *credcache.Cache[Credentials]
	var source string
	switch {
	case cfg.AccessKey != "" || cfg.SecretKey != "":
		var missing []string
		if cfg.AccessKey == "" {
			missing = append(missing, "access_key (HW_ACCESS_KEY)")
		}
		if cfg.SecretKey == "" {
			missing = append(missing, "secret_key (HW_SECRET_KEY)")
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("incomplete Huawei Cloud credentials: set %s in the provider's huaweicloud block or the environment",
				strings.Join(missing, " and "))
		}
		static := Credentials{AccessKey: cfg.AccessKey, SecretKey: cfg.SecretKey, SecurityToken: cfg.SecurityToken}
		source = "access_key"
		l.from = cfg.KeysFrom
		if l.from == "" {
			l.from = "access_key with secret_key in the provider's huaweicloud block"
		}
		if cfg.SecurityToken != "" {
			l.from += " (and security_token, HW_SECURITY_TOKEN: temporary credentials expire)"
		}
		base = l.cache(source, settingsKeys, func(context.Context) (Credentials, time.Time, error) {
			return static, time.Time{}, nil
		})
	case cfg.SharedConfigFile != "" || cfg.Profile != "":
		source = "profile"
		l.from = "the KooCLI profile (" + settingsProfile + ")"
		base = l.cache(source, settingsProfile, func(ctx context.Context) (Credentials, time.Time, error) {
			cred, err := readProfile(ctx, cfg.SharedConfigFile, cfg.Profile)
			return cred, time.Time{}, err
		})
	case cfg.OIDC != nil:
		o := *cfg.OIDC
		if o.IdpID == "" {
			return nil, errors.New("incomplete Huawei Cloud assume_role_with_oidc: set idp_id (HW_ASSUME_ROLE_IDP_ID)")
		}
		if o.IDToken == "" && o.IDTokenFile == "" {
			return nil, errors.New("incomplete Huawei Cloud assume_role_with_oidc: set id_token (HW_ASSUME_ROLE_ID_TOKEN) or id_token_file (HW_ASSUME_ROLE_ID_TOKEN_FILE)")
		}
		source = "assume_role_with_oidc"
		l.from = "the temporary credentials of " + settingsOIDC
		base = l.cache(source, settingsOIDC, func(ctx context.Context) (Credentials, time.Time, error) {
			return l.c.exchangeIDToken(ctx, o)
		})
	default:
		return nil, errors.New("missing Huawei Cloud credentials: set access_key (HW_ACCESS_KEY) and secret_key (HW_SECRET_KEY) " +
			"in the provider's huaweicloud block or the environment, or a KooCLI profile (profile, HW_PROFILE; " +
			"shared_config_file, HW_SHARED_CONFIG_FILE), or assume_role_with_oidc (HW_ASSUME_ROLE_IDP_ID with " +
			"HW_ASSUME_ROLE_ID_TOKEN or HW_ASSUME_ROLE_ID_TOKEN_FILE)")
	}
	ar := cfg.AssumeRole
	if ar == nil {
		return base, nil
	}
	var missing []string
	if ar.AgencyName == "" {
		missing = append(missing, "agency_name (HW_ASSUME_ROLE_AGENCY_NAME)")
	}
	if ar.DomainName == "" {
		missing = append(missing, "domain_name (HW_ASSUME_ROLE_DOMAIN_NAME)")
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("incomplete Huawei Cloud assume_role: set %s", strings.Join(missing, " and "))
	}
	l.from = "the temporary credentials of " + settingsAgency + ", traded for with " + l.from
	return l.cache("assume_role with "+source, settingsAgency, func(ctx context.Context) (Credentials, time.Time, error) {
		return l.c.assumeAgency(ctx, base, *ar)
	}), nil
}

// signatureHint is what a 401 from a signed Huawei Cloud request asks to
// check: the settings the access key id and secret key come from, and
// the API gateway's lock of an access key for five minutes after five
// failed signatures in a row ("Common Errors Related to IAM Authentication
// Information", https://support.huaweicloud.com/intl/en-us/apig_faq/apig-faq-0003.html),
// which is why a 401 is never retried.
func (l *credentials) signatureHint() string {
	from := l.from
	if from == "" {
		from = "the configured credentials"
	}
	return "Huawei Cloud refused the request's signature: check that the access key id and the secret key of " + from +
		" belong together and are current. Huawei Cloud locks an access key for five minutes after five failed " +
		"signatures in a row: correct the key before running again."
}

// duration returns d, or DefaultDuration when d is 0.
func duration(d int) int {
	if d == 0 {
		return DefaultDuration
	}
	return d
}

// assumeAgency trades the base credentials for the agency's through IAM
// CreateTemporaryAccessKeyByAgency
// (https://support.huaweicloud.com/intl/en-us/api-iam/iam_04_0101.html).
func (c *Client) assumeAgency(ctx context.Context, base *credcache.Cache[Credentials], ar AssumeRole) (Credentials, time.Time, error) {
	if _, err := base.Get(ctx); err != nil {
		return Credentials{}, time.Time{}, err
	}
	type assumeRole struct {
		AgencyName      string `json:"agency_name"`
		DomainName      string `json:"domain_name"`
		DurationSeconds int    `json:"duration_seconds"`
	}
	var body struct {
		Auth struct {
			Identity struct {
				Methods    []string   `json:"methods"`
				AssumeRole assumeRole `json:"assume_role"`
			} `json:"identity"`
		} `json:"auth"`
	}
	body.Auth.Identity.Methods = []string{"assume_role"}
	body.Auth.Identity.AssumeRole = assumeRole{AgencyName: ar.AgencyName, DomainName: ar.DomainName, DurationSeconds: duration(ar.Duration)}
	b, err := json.Marshal(body)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	const op = "CreateTemporaryAccessKeyByAgency"
	resp, err := c.send(ctx, Call{
		Operation: op, Service: "iam", Region: c.homeRegion(), Method: http.MethodPost,
		Path: "/v3.0/OS-CREDENTIAL/securitytokens", Body: b,
	}, func(req *http.Request, body []byte) error {
		cred, err := base.Get(req.Context())
		if err != nil {
			return err
		}
		return Sign(req, body, cred, c.now())
	})
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeSecurityToken(op, resp.Body)
}

// exchangeIDToken trades an OIDC id token for an IAM token
// (CreateTokenWithIdToken, https://support.huaweicloud.com/intl/en-us/api-iam/iam_13_0605.html),
// then that token for temporary credentials (CreateTemporaryAccessKeyByToken).
// Neither request is signed: the id token, then the IAM token, is the proof.
func (c *Client) exchangeIDToken(ctx context.Context, o AssumeRoleWithOIDC) (Credentials, time.Time, error) {
	tok := o.IDToken
	if o.IDTokenFile != "" {
		var err error
		if tok, err = credcache.ReadTokenFile(ctx, "id_token_file (HW_ASSUME_ROLE_ID_TOKEN_FILE)", o.IDTokenFile); err != nil {
			return Credentials{}, time.Time{}, err
		}
	}
	c.tr.AddSecret(tok)

	var idBody struct {
		Auth struct {
			IDToken struct {
				ID string `json:"id"`
			} `json:"id_token"`
			Scope *struct {
				Domain struct {
					ID string `json:"id"`
				} `json:"domain"`
			} `json:"scope,omitempty"`
		} `json:"auth"`
	}
	idBody.Auth.IDToken.ID = tok
	if o.DomainID != "" {
		idBody.Auth.Scope = &struct {
			Domain struct {
				ID string `json:"id"`
			} `json:"domain"`
		}{}
		idBody.Auth.Scope.Domain.ID = o.DomainID
	}
	b, err := json.Marshal(idBody)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	resp, err := c.send(ctx, Call{
		Operation: "CreateTokenWithIdToken", Service: "iam", Region: c.homeRegion(), Method: http.MethodPost,
		Path: "/v3.0/OS-AUTH/id-token/tokens", Body: b, header: http.Header{"X-Idp-Id": {o.IdpID}},
	}, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	subject := resp.Header.Get("X-Subject-Token")
	if subject == "" {
		return Credentials{}, time.Time{}, errors.New("CreateTokenWithIdToken: the answer has no X-Subject-Token header")
	}
	c.tr.AddSecret(subject)

	type token struct {
		DurationSeconds int `json:"duration_seconds"`
	}
	var tokBody struct {
		Auth struct {
			Identity struct {
				Methods []string `json:"methods"`
				Token   token    `json:"token"`
			} `json:"identity"`
		} `json:"auth"`
	}
	tokBody.Auth.Identity.Methods = []string{"token"}
	tokBody.Auth.Identity.Token = token{DurationSeconds: duration(o.Duration)}
	if b, err = json.Marshal(tokBody); err != nil {
		return Credentials{}, time.Time{}, err
	}
	const op = "CreateTemporaryAccessKeyByToken"
	resp, err = c.send(ctx, Call{
		Operation: op, Service: "iam", Region: c.homeRegion(), Method: http.MethodPost,
		Path: "/v3.0/OS-CREDENTIAL/securitytokens", Body: b, header: http.Header{"X-Auth-Token": {subject}},
	}, nil)
	if err != nil {
		return Credentials{}, time.Time{}, err
	}
	return decodeSecurityToken(op, resp.Body)
}

// decodeSecurityToken reads the credential of a securitytokens answer. The
// answer carries secrets: errors describe what is missing, never the body.
func decodeSecurityToken(op string, body []byte) (Credentials, time.Time, error) {
	var r struct {
		Credential *struct {
			Access        string `json:"access"`
			Secret        string `json:"secret"`
			SecurityToken string `json:"securitytoken"`
			ExpiresAt     string `json:"expires_at"`
		} `json:"credential"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer is not the JSON the API documents", op)
	}
	cr := r.Credential
	if cr == nil || cr.Access == "" || cr.Secret == "" || cr.SecurityToken == "" || cr.ExpiresAt == "" {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: the answer lacks credential.access, secret, securitytoken or expires_at", op)
	}
	exp, err := time.Parse(time.RFC3339Nano, cr.ExpiresAt)
	if err != nil {
		return Credentials{}, time.Time{}, fmt.Errorf("%s: credential.expires_at %q is not an RFC 3339 time", op, cr.ExpiresAt)
	}
	return Credentials{AccessKey: cr.Access, SecretKey: cr.Secret, SecurityToken: cr.SecurityToken}, exp, nil
}

type kooCLIProfile struct {
	Name            string `json:"name"`
	Mode            string `json:"mode"`
	AccessKeyID     string `json:"accessKeyId"`
	SecretAccessKey string `json:"secretAccessKey"`
	SecurityToken   string `json:"securityToken"`
	Region          string `json:"region"`
	SSOAuth         struct {
		STSToken struct {
			AccessKeyID     string `json:"accessKeyId"`
			SecretAccessKey string `json:"secretAccessKey"`
			SecurityToken   string `json:"securityToken"`
		} `json:"stsToken"`
	} `json:"ssoAuth"`
}

// kooCLI is KooCLI's config.json (DefaultSharedConfigFile).
var kooCLI = credcache.ProfileCLI[kooCLIProfile]{
	Name: "KooCLI", DefaultFile: DefaultSharedConfigFile, ProfileSetting: "profile (HW_PROFILE)",
	NameOf: func(p *kooCLIProfile) string { return p.Name },
}

// kooCLIFile names the KooCLI file's setting in errors.
const kooCLIFile = "shared_config_file (HW_SHARED_CONFIG_FILE)"

// readProfile reads the credentials of profile (empty: the file's
// current one) from the KooCLI file (empty: DefaultSharedConfigFile).
// Modes AKSK and SSO (the keys of its STS token) are supported.
func readProfile(ctx context.Context, file, profile string) (Credentials, error) {
	p, file, err := kooCLI.FindProfile(ctx, kooCLIFile, file, profile)
	if err != nil {
		return Credentials{}, err
	}
	var cred Credentials
	switch p.Mode {
	case "AKSK", "":
		cred = Credentials{AccessKey: p.AccessKeyID, SecretKey: p.SecretAccessKey, SecurityToken: p.SecurityToken}
	case "SSO":
		t := p.SSOAuth.STSToken
		cred = Credentials{AccessKey: t.AccessKeyID, SecretKey: t.SecretAccessKey, SecurityToken: t.SecurityToken}
	default:
		return Credentials{}, fmt.Errorf("profile %q in %s has mode %q; supported: AKSK, SSO", p.Name, file, p.Mode)
	}
	if cred.AccessKey == "" || cred.SecretKey == "" {
		return Credentials{}, fmt.Errorf("profile %q (mode %s) in %s has no access key and secret key", p.Name, p.Mode, file)
	}
	return cred, nil
}

// profileRegion is the region of the KooCLI profile the settings name,
// or "" when they name none or it cannot be read (the credentials then
// say why). It is read once.
func (c *Client) profileRegion() string {
	if c.cfg.SharedConfigFile == "" && c.cfg.Profile == "" {
		return ""
	}
	c.profileRegionOnce.Do(func() {
		// No read is running yet: the region is resolved before it. The
		// file is refused at once if it is not a regular file, and
		// read whole only up to 1 MiB.
		if p, _, err := kooCLI.FindProfile(context.Background(), kooCLIFile, c.cfg.SharedConfigFile, c.cfg.Profile); err == nil {
			c.profileRegionValue = p.Region
		}
	})
	return c.profileRegionValue
}

// homeRegion is the region of the credential services' endpoints: the
// provider's region (configuration, environment, then profile), "" when
// there is none (the endpoint then says it needs one).
func (c *Client) homeRegion() string {
	r, _ := c.Region("")
	return r
}
