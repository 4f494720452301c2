package provider

import (
	"fmt"
	"strconv"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/alicloud"
	"github.com/opsaudit/terraform-provider-opsaudit/internal/huaweicloud"
)

// Credential sources beyond static keys: the settings, their environment
// variables, and how the environment alone selects a source (CI systems
// set variables, not blocks).

// Environment variables of the credential sources.
var (
	envHuaweiSharedConfigFile = []string{"HW_SHARED_CONFIG_FILE"}
	envHuaweiProfile          = []string{"HW_PROFILE"}
	envHuaweiAgencyName       = []string{"HW_ASSUME_ROLE_AGENCY_NAME"}
	envHuaweiDomainName       = []string{"HW_ASSUME_ROLE_DOMAIN_NAME"}
	envHuaweiDuration         = []string{"HW_ASSUME_ROLE_DURATION"}
	envHuaweiIdpID            = []string{"HW_ASSUME_ROLE_IDP_ID"}
	envHuaweiDomainID         = []string{"HW_ASSUME_ROLE_DOMAIN_ID"}
	envHuaweiIDToken          = []string{"HW_ASSUME_ROLE_ID_TOKEN"}
	envHuaweiIDTokenFile      = []string{"HW_ASSUME_ROLE_ID_TOKEN_FILE"}

	envAliCredentialsFile = []string{"ALIBABA_CLOUD_CREDENTIALS_FILE"}
	envAliProfile         = []string{"ALIBABA_CLOUD_PROFILE", "ALICLOUD_PROFILE"}
	envAliECSRoleName     = []string{"ALIBABA_CLOUD_ECS_METADATA", "ALICLOUD_ECS_ROLE_NAME"}
	envAliCredentialsURI  = []string{"ALIBABA_CLOUD_CREDENTIALS_URI"}
	envAliRoleARN         = []string{"ALIBABA_CLOUD_ROLE_ARN"}
	envAliSessionName     = []string{"ALIBABA_CLOUD_ROLE_SESSION_NAME"}
	envAliOIDCProviderARN = []string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN"}
	envAliOIDCToken       = []string{"ALIBABA_CLOUD_OIDC_TOKEN"}
	envAliOIDCTokenFile   = []string{"ALIBABA_CLOUD_OIDC_TOKEN_FILE"}
)

// huaweiCredentialsModel holds the credential source settings of the
// huaweicloud block (embedded in huaweiModel).
type huaweiCredentialsModel struct {
	SharedConfigFile types.String           `tfsdk:"shared_config_file"`
	Profile          types.String           `tfsdk:"profile"`
	AssumeRole       *huaweiAssumeRoleModel `tfsdk:"assume_role"`
	OIDC             *huaweiOIDCModel       `tfsdk:"assume_role_with_oidc"`
}

type huaweiAssumeRoleModel struct {
	AgencyName types.String `tfsdk:"agency_name"`
	DomainName types.String `tfsdk:"domain_name"`
	Duration   types.Int64  `tfsdk:"duration"`
}

type huaweiOIDCModel struct {
	IdpID       types.String `tfsdk:"idp_id"`
	DomainID    types.String `tfsdk:"domain_id"`
	IDToken     types.String `tfsdk:"id_token"`
	IDTokenFile types.String `tfsdk:"id_token_file"`
	Duration    types.Int64  `tfsdk:"duration"`
}

// aliCredentialsModel holds the credential source settings of the
// alicloud block (embedded in aliModel).
type aliCredentialsModel struct {
	SharedCredentialsFile types.String        `tfsdk:"shared_credentials_file"`
	Profile               types.String        `tfsdk:"profile"`
	ECSRoleName           types.String        `tfsdk:"ecs_role_name"`
	CredentialsURI        types.String        `tfsdk:"credentials_uri"`
	AssumeRole            *aliAssumeRoleModel `tfsdk:"assume_role"`
	OIDC                  *aliOIDCModel       `tfsdk:"assume_role_with_oidc"`
}

type aliAssumeRoleModel struct {
	RoleARN           types.String `tfsdk:"role_arn"`
	SessionName       types.String `tfsdk:"session_name"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
	ExternalID        types.String `tfsdk:"external_id"`
}

type aliOIDCModel struct {
	OIDCProviderARN   types.String `tfsdk:"oidc_provider_arn"`
	RoleARN           types.String `tfsdk:"role_arn"`
	OIDCToken         types.String `tfsdk:"oidc_token"`
	OIDCTokenFile     types.String `tfsdk:"oidc_token_file"`
	RoleSessionName   types.String `tfsdk:"role_session_name"`
	Policy            types.String `tfsdk:"policy"`
	SessionExpiration types.Int64  `tfsdk:"session_expiration"`
}

// huaweiCredentialAttributes are the credential source attributes of the
// huaweicloud block.
func huaweiCredentialAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"shared_config_file": strAttr("The KooCLI configuration file (profiles of mode `AKSK` or `SSO`). Environment: `HW_SHARED_CONFIG_FILE`. "+
			"Default: `"+huaweicloud.DefaultSharedConfigFile+"`. The file is read only when this or `profile` is set.", false),
		"profile": strAttr("The KooCLI profile to take credentials from (and the region, when `region` is not set). Environment: `HW_PROFILE`. Default: the file's `current` profile.", false),
	}
}

// huaweiCredentialBlocks are the assume_role blocks of the huaweicloud block.
func huaweiCredentialBlocks() map[string]schema.Block {
	dur := func(env string) schema.Int64Attribute {
		desc := fmt.Sprintf("Lifetime of the temporary credentials in seconds, %d to %d. Default: %d.",
			huaweicloud.MinDuration, huaweicloud.MaxDuration, huaweicloud.DefaultDuration)
		if env != "" {
			desc += " Environment: `" + env + "`."
		}
		return schema.Int64Attribute{Optional: true, MarkdownDescription: desc,
			Validators: []validator.Int64{int64validator.Between(huaweicloud.MinDuration, huaweicloud.MaxDuration)}}
	}
	return map[string]schema.Block{
		"assume_role": schema.SingleNestedBlock{
			MarkdownDescription: "Trade the credentials found for an agency's temporary credentials (IAM `POST /v3.0/OS-CREDENTIAL/securitytokens`, " +
				"method `assume_role`). `HW_ASSUME_ROLE_AGENCY_NAME` alone selects it.",
			Attributes: map[string]schema.Attribute{
				"agency_name": strAttr("The agency to assume. Environment: `HW_ASSUME_ROLE_AGENCY_NAME`.", false),
				"domain_name": strAttr("The account (domain) that owns the agency. Environment: `HW_ASSUME_ROLE_DOMAIN_NAME`.", false),
				"duration":    dur("HW_ASSUME_ROLE_DURATION"),
			},
		},
		"assume_role_with_oidc": schema.SingleNestedBlock{
			MarkdownDescription: "Trade an OIDC id token (from a CI system) for temporary credentials: IAM `POST /v3.0/OS-AUTH/id-token/tokens`, " +
				"then `POST /v3.0/OS-CREDENTIAL/securitytokens` with that token. `HW_ASSUME_ROLE_IDP_ID` with a token or token file selects it.",
			Attributes: map[string]schema.Attribute{
				"idp_id":    strAttr("The identity provider registered in IAM. Environment: `HW_ASSUME_ROLE_IDP_ID`.", false),
				"domain_id": strAttr("The account (domain) ID the token is scoped to. Environment: `HW_ASSUME_ROLE_DOMAIN_ID`.", false),
				"id_token": schema.StringAttribute{Optional: true, Sensitive: true,
					MarkdownDescription: "The OIDC id token. Environment: `HW_ASSUME_ROLE_ID_TOKEN`. Conflicts with `id_token_file`.",
					Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("id_token_file"))}},
				"id_token_file": strAttr("A file holding the OIDC id token, read again at each refresh. Environment: `HW_ASSUME_ROLE_ID_TOKEN_FILE`.", false),
				"duration":      dur(""),
			},
		},
	}
}

// aliCredentialAttributes are the credential source attributes of the
// alicloud block.
func aliCredentialAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"shared_credentials_file": strAttr("The aliyun CLI configuration file (profiles of mode `AK`, `StsToken`, `RamRoleArn`, `EcsRamRole` or `OIDC`). "+
			"Environment: `ALIBABA_CLOUD_CREDENTIALS_FILE`. Default: `"+alicloud.DefaultSharedCredentialsFile+"`. The file is read only when this or `profile` is set.", false),
		"profile": strAttr("The aliyun CLI profile to take credentials from (and the region, its `region_id`, when `region` is not set). Environment: `ALIBABA_CLOUD_PROFILE`, then `ALICLOUD_PROFILE`. "+
			"Default: the file's `current` profile.", false),
		"ecs_role_name": schema.StringAttribute{Optional: true,
			MarkdownDescription: "The RAM role of the ECS instance the provider runs on, read through the instance metadata service (IMDSv2, " +
				"`endpoints.imds`). Environment: `ALIBABA_CLOUD_ECS_METADATA`, then `ALICLOUD_ECS_ROLE_NAME`. Instance metadata is contacted only when this " +
				"(or a profile of mode `EcsRamRole`) asks for it. Conflicts with `credentials_uri`.",
			Validators: []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("credentials_uri"))}},
		"credentials_uri": strAttr("A URL answering a GET with temporary credentials (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, `Expiration`). "+
			"Environment: `ALIBABA_CLOUD_CREDENTIALS_URI`.", false),
	}
}

// aliCredentialBlocks are the assume_role blocks of the alicloud block.
func aliCredentialBlocks() map[string]schema.Block {
	exp := schema.Int64Attribute{Optional: true,
		MarkdownDescription: fmt.Sprintf("Lifetime of the STS credentials in seconds, %d to %d. Default: %d.",
			alicloud.MinDuration, alicloud.MaxDuration, alicloud.DefaultDuration),
		Validators: []validator.Int64{int64validator.Between(alicloud.MinDuration, alicloud.MaxDuration)}}
	return map[string]schema.Block{
		"assume_role": schema.SingleNestedBlock{
			MarkdownDescription: "Trade the credentials found for a RAM role's (STS `AssumeRole`, version 2015-04-01). " +
				"`ALIBABA_CLOUD_ROLE_ARN` with keys and no OIDC variables selects it.",
			Attributes: map[string]schema.Attribute{
				"role_arn":           strAttr("The role to assume, e.g. `acs:ram::123456789012:role/audit`. Environment: `ALIBABA_CLOUD_ROLE_ARN`.", false),
				"session_name":       strAttr("The role session name. Environment: `ALIBABA_CLOUD_ROLE_SESSION_NAME`. Default: `"+alicloud.DefaultSessionName+"`.", false),
				"policy":             strAttr("A policy (JSON) further restricting the role's permissions.", false),
				"session_expiration": exp,
				"external_id":        strAttr("The role's external ID, when its trust policy asks for one.", false),
			},
		},
		"assume_role_with_oidc": schema.SingleNestedBlock{
			MarkdownDescription: "Trade an OIDC token (from a CI system) for a RAM role's credentials (STS `AssumeRoleWithOIDC`, not signed). " +
				"`ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_ROLE_ARN` and `ALIBABA_CLOUD_OIDC_TOKEN_FILE` select it.",
			Attributes: map[string]schema.Attribute{
				"oidc_provider_arn": strAttr("The OIDC identity provider in RAM. Environment: `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`.", false),
				"role_arn":          strAttr("The role to assume. Environment: `ALIBABA_CLOUD_ROLE_ARN`.", false),
				"oidc_token": schema.StringAttribute{Optional: true, Sensitive: true,
					MarkdownDescription: "The OIDC token. Environment: `ALIBABA_CLOUD_OIDC_TOKEN`. Conflicts with `oidc_token_file`.",
					Validators:          []validator.String{stringvalidator.ConflictsWith(path.MatchRelative().AtParent().AtName("oidc_token_file"))}},
				"oidc_token_file":    strAttr("A file holding the OIDC token, read again at each refresh. Environment: `ALIBABA_CLOUD_OIDC_TOKEN_FILE`.", false),
				"role_session_name":  strAttr("The role session name. Environment: `ALIBABA_CLOUD_ROLE_SESSION_NAME`. Default: `"+alicloud.DefaultSessionName+"`.", false),
				"policy":             strAttr("A policy (JSON) further restricting the role's permissions.", false),
				"session_expiration": exp,
			},
		},
	}
}

// merge adds b's entries to a.
func merge[V any](a, b map[string]V) map[string]V {
	for k, v := range b {
		a[k] = v
	}
	return a
}

// credentialUnknowns lists credential settings whose value is not known yet.
func credentialUnknowns(m providerModel) []path.Path {
	var out []path.Path
	add := func(p path.Path, vals map[string]interface{ IsUnknown() bool }) {
		for name, v := range vals {
			if v.IsUnknown() {
				out = append(out, p.AtName(name))
			}
		}
	}
	type unk = interface{ IsUnknown() bool }
	if hw := m.Huawei; hw != nil {
		b := path.Root("huaweicloud")
		add(b, map[string]unk{"shared_config_file": hw.SharedConfigFile, "profile": hw.Profile})
		if a := hw.AssumeRole; a != nil {
			add(b.AtName("assume_role"), map[string]unk{"agency_name": a.AgencyName, "domain_name": a.DomainName, "duration": a.Duration})
		}
		if o := hw.OIDC; o != nil {
			add(b.AtName("assume_role_with_oidc"), map[string]unk{"idp_id": o.IdpID, "domain_id": o.DomainID, "id_token": o.IDToken,
				"id_token_file": o.IDTokenFile, "duration": o.Duration})
		}
	}
	if ali := m.Ali; ali != nil {
		b := path.Root("alicloud")
		add(b, map[string]unk{"shared_credentials_file": ali.SharedCredentialsFile, "profile": ali.Profile,
			"ecs_role_name": ali.ECSRoleName, "credentials_uri": ali.CredentialsURI})
		if a := ali.AssumeRole; a != nil {
			add(b.AtName("assume_role"), map[string]unk{"role_arn": a.RoleARN, "session_name": a.SessionName, "policy": a.Policy,
				"session_expiration": a.SessionExpiration, "external_id": a.ExternalID})
		}
		if o := ali.OIDC; o != nil {
			add(b.AtName("assume_role_with_oidc"), map[string]unk{"oidc_provider_arn": o.OIDCProviderARN, "role_arn": o.RoleARN,
				"oidc_token": o.OIDCToken, "oidc_token_file": o.OIDCTokenFile, "role_session_name": o.RoleSessionName,
				"policy": o.Policy, "session_expiration": o.SessionExpiration})
		}
	}
	return out
}

// envLookup finds the first set variable of a list.
type envLookup func(names []string) string

func (e envLookup) pick(v types.String, names []string) string {
	if !v.IsNull() && !v.IsUnknown() && v.ValueString() != "" {
		return v.ValueString()
	}
	return e(names)
}

func (e envLookup) any(lists ...[]string) bool {
	for _, l := range lists {
		if e(l) != "" {
			return true
		}
	}
	return false
}

// intSetting returns v when set, else the environment variable's value
// (which must be a whole number), else 0 (the source's default).
func (e envLookup) intSetting(v types.Int64, names []string, setting string) (int, error) {
	if !v.IsNull() && !v.IsUnknown() {
		return int(v.ValueInt64()), nil
	}
	s := e(names)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%s: environment variable %s = %q is not a whole number of seconds", setting, names[0], s)
	}
	return n, nil
}

func checkRange(setting string, n, lo, hi int) error {
	if n != 0 && (n < lo || n > hi) {
		return fmt.Errorf("%s must be between %d and %d seconds, got %d", setting, lo, hi, n)
	}
	return nil
}

// resolveCredentialSources fills the credential sources of s from the
// configuration and the environment; a block's settings fall back to
// their environment variables, and the variables alone select a source
// as the block would (docs/index.md, credential sources). It returns
// the secrets found (OIDC tokens) for masking.
func resolveCredentialSources(m providerModel, getenv func(string) string, s *settings) ([]string, error) {
	env := envLookup(func(names []string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	})
	hw := m.Huawei
	if hw == nil {
		hw = &huaweiModel{}
	}
	ali := m.Ali
	if ali == nil {
		ali = &aliModel{}
	}
	var secrets []string

	s.Huawei.SharedConfigFile = env.pick(hw.SharedConfigFile, envHuaweiSharedConfigFile)
	s.Huawei.Profile = env.pick(hw.Profile, envHuaweiProfile)
	if a := hw.AssumeRole; a != nil || env.any(envHuaweiAgencyName) {
		if a == nil {
			a = &huaweiAssumeRoleModel{Duration: types.Int64Null()}
		}
		d, err := env.intSetting(a.Duration, envHuaweiDuration, "huaweicloud.assume_role.duration")
		if err != nil {
			return nil, err
		}
		if err := checkRange("huaweicloud.assume_role.duration (HW_ASSUME_ROLE_DURATION)", d, huaweicloud.MinDuration, huaweicloud.MaxDuration); err != nil {
			return nil, err
		}
		s.Huawei.AssumeRole = &huaweicloud.AssumeRole{
			AgencyName: env.pick(a.AgencyName, envHuaweiAgencyName),
			DomainName: env.pick(a.DomainName, envHuaweiDomainName),
			Duration:   d,
		}
	}
	if o := hw.OIDC; o != nil || (env.any(envHuaweiIdpID) && env.any(envHuaweiIDToken, envHuaweiIDTokenFile)) {
		if o == nil {
			o = &huaweiOIDCModel{Duration: types.Int64Null()}
		}
		c := &huaweicloud.AssumeRoleWithOIDC{
			IdpID:       env.pick(o.IdpID, envHuaweiIdpID),
			DomainID:    env.pick(o.DomainID, envHuaweiDomainID),
			IDTokenFile: env.pick(o.IDTokenFile, envHuaweiIDTokenFile),
		}
		if c.IDTokenFile == "" || !o.IDToken.IsNull() {
			c.IDToken = env.pick(o.IDToken, envHuaweiIDToken)
		}
		if !o.Duration.IsNull() && !o.Duration.IsUnknown() {
			c.Duration = int(o.Duration.ValueInt64())
		}
		secrets = append(secrets, c.IDToken)
		s.Huawei.OIDC = c
	}

	s.Ali.SharedCredentialsFile = env.pick(ali.SharedCredentialsFile, envAliCredentialsFile)
	s.Ali.Profile = env.pick(ali.Profile, envAliProfile)
	s.Ali.ECSRoleName = env.pick(ali.ECSRoleName, envAliECSRoleName)
	s.Ali.CredentialsURI = env.pick(ali.CredentialsURI, envAliCredentialsURI)
	oidcEnv := env.any(envAliOIDCProviderARN, envAliOIDCToken, envAliOIDCTokenFile)
	if o := ali.OIDC; o != nil || (env.any(envAliOIDCProviderARN) && env.any(envAliRoleARN) && env.any(envAliOIDCToken, envAliOIDCTokenFile)) {
		if o == nil {
			o = &aliOIDCModel{SessionExpiration: types.Int64Null()}
		}
		c := &alicloud.AssumeRoleWithOIDC{
			OIDCProviderARN: env.pick(o.OIDCProviderARN, envAliOIDCProviderARN),
			RoleARN:         env.pick(o.RoleARN, envAliRoleARN),
			OIDCTokenFile:   env.pick(o.OIDCTokenFile, envAliOIDCTokenFile),
			RoleSessionName: env.pick(o.RoleSessionName, envAliSessionName),
			Policy:          o.Policy.ValueString(),
		}
		if c.OIDCTokenFile == "" || !o.OIDCToken.IsNull() {
			c.OIDCToken = env.pick(o.OIDCToken, envAliOIDCToken)
		}
		if !o.SessionExpiration.IsNull() && !o.SessionExpiration.IsUnknown() {
			c.SessionExpiration = int(o.SessionExpiration.ValueInt64())
		}
		secrets = append(secrets, c.OIDCToken)
		s.Ali.OIDC = c
	}
	// ALIBABA_CLOUD_ROLE_ARN alone selects assume_role only when no OIDC
	// setting is there to use it.
	if a := ali.AssumeRole; a != nil || (env.any(envAliRoleARN) && !oidcEnv && ali.OIDC == nil) {
		if a == nil {
			a = &aliAssumeRoleModel{SessionExpiration: types.Int64Null()}
		}
		c := &alicloud.AssumeRole{
			RoleARN:     env.pick(a.RoleARN, envAliRoleARN),
			SessionName: env.pick(a.SessionName, envAliSessionName),
			Policy:      a.Policy.ValueString(),
			ExternalID:  a.ExternalID.ValueString(),
		}
		if !a.SessionExpiration.IsNull() && !a.SessionExpiration.IsUnknown() {
			c.SessionExpiration = int(a.SessionExpiration.ValueInt64())
		}
		s.Ali.AssumeRole = c
	}
	return secrets, nil
}
