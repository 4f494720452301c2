package alicloud

import (
	"fmt"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
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

// Settings is every setting of the provider's alicloud block but
// endpoints: names, environment variables in the alicloud provider's order
// (ALICLOUD_* first, then the ALIBABA_CLOUD_* of the official SDKs and
// credentials-go), secrecy and validity
// (https://github.com/aliyun/terraform-provider-alicloud/blob/master/alicloud/provider.go).
// The provider renders its schema, its unknown-value checks and its
// environment fallback from it; the credential chain (chain.go) reads the
// resolved values and names settings in errors through it.
var Settings = &credchain.Table{Block: "alicloud", Blocks: []credchain.Block{
	{Settings: []credchain.Setting{
		{Name: "region", Env: []string{"ALICLOUD_REGION", "ALIBABA_CLOUD_REGION"},
			Description: "Region, e.g. `cn-hangzhou`. The data source can override it with `region`."},
		{Name: "access_key", Env: []string{"ALICLOUD_ACCESS_KEY", "ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABACLOUD_ACCESS_KEY_ID"}, Sensitive: true,
			Description: "AccessKey ID."},
		{Name: "secret_key", Env: []string{"ALICLOUD_SECRET_KEY", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "ALIBABACLOUD_ACCESS_KEY_SECRET"}, Sensitive: true,
			Description: "AccessKey secret."},
		{Name: "security_token", Env: []string{"ALICLOUD_SECURITY_TOKEN", "ALIBABA_CLOUD_SECURITY_TOKEN", "ALIBABACLOUD_SECURITY_TOKEN"}, Sensitive: true,
			Description: "STS security token of temporary credentials, sent as `x-acs-security-token`."},
		{Name: "shared_credentials_file", Env: []string{"ALICLOUD_SHARED_CREDENTIALS_FILE", "ALIBABA_CLOUD_CREDENTIALS_FILE", "ALIBABA_CLOUD_CONFIG_FILE"},
			Description: "The aliyun CLI configuration file (JSON; profiles of mode `AK`, `StsToken`, `RamRoleArn`, `ChainableRamRoleArn`, " +
				"`EcsRamRole`, `OIDC` or `CredentialsURI`), or the SDKs' INI credentials file (types `access_key`, `ecs_ram_role`, " +
				"`ram_role_arn`). Default: `" + DefaultSharedCredentialsFile + "`. The file is read only when this or `profile` is set."},
		{Name: "profile", Env: []string{"ALICLOUD_PROFILE", "ALIBABA_CLOUD_PROFILE"},
			Description: "The profile to take credentials from (and the region, its `region_id`, when `region` is not set). Default: " +
				"the file's `current` profile (`default` in an INI file)."},
		{Name: "ecs_role_name", Env: []string{"ALICLOUD_ECS_ROLE_NAME", "ALIBABA_CLOUD_ECS_METADATA"},
			Description: "The RAM role of the ECS instance the provider runs on, read through the instance metadata service " +
				"(`endpoints.imds`): IMDSv2 (a session token first); IMDSv1 only when the token endpoint does not answer and " +
				"`ALIBABA_CLOUD_IMDSV1_DISABLED` is not `true`. Instance metadata is contacted only when this (or a profile of mode " +
				"`EcsRamRole`) asks for it."},
		{Name: "credentials_uri", Env: []string{"ALICLOUD_CREDENTIALS_URI", "ALIBABA_CLOUD_CREDENTIALS_URI"},
			Description: "A URL answering a GET with temporary credentials (`AccessKeyId`, `AccessKeySecret`, `SecurityToken`, " +
				"`Expiration`), e.g. a sidecar's."},
		{Name: "sts_region", Env: []string{"ALIBABA_CLOUD_STS_REGION"}, EnvOnly: true},
		{Name: "vpc_endpoint", Env: []string{"ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED"}, EnvOnly: true, Kind: credchain.Bool},
		{Name: "imdsv1_disabled", Env: []string{"ALIBABA_CLOUD_IMDSV1_DISABLED"}, EnvOnly: true, Kind: credchain.Bool},
	}},
	{Name: credchain.BlockAssumeRole,
		Description: "Trade the credentials found for a RAM role's (STS `AssumeRole`, version 2015-04-01). Its variables fill the " +
			"block in; as in the official tools, they never select it alone.",
		Settings: []credchain.Setting{
			{Name: "role_arn", Env: []string{"ALICLOUD_ASSUME_ROLE_ARN", "ALIBABA_CLOUD_ROLE_ARN"},
				Description: "The role to assume, e.g. `acs:ram::123456789012:role/audit`."},
			{Name: "session_name", Env: []string{"ALICLOUD_ASSUME_ROLE_SESSION_NAME", "ALIBABA_CLOUD_ROLE_SESSION_NAME"},
				Description: "The role session name. Default: `" + DefaultSessionName + "`."},
			{Name: "policy", Description: "A policy (JSON) further restricting the role's permissions."},
			expiration("session_expiration", []string{"ALICLOUD_ASSUME_ROLE_SESSION_EXPIRATION"}),
			{Name: "external_id", Description: "The role's external ID, when its trust policy asks for one."},
		}},
	{Name: credchain.BlockOIDC,
		Description: "Trade an OIDC token (from a CI system or an ACK pod's RRSA) for a RAM role's credentials (STS " +
			"`AssumeRoleWithOIDC`, not signed). `ALIBABA_CLOUD_OIDC_PROVIDER_ARN`, `ALIBABA_CLOUD_ROLE_ARN` and " +
			"`ALIBABA_CLOUD_OIDC_TOKEN_FILE` select it from the environment alone.",
		Settings: []credchain.Setting{
			{Name: "oidc_provider_arn", Env: []string{"ALIBABA_CLOUD_OIDC_PROVIDER_ARN"}, Description: "The OIDC identity provider in RAM."},
			{Name: "role_arn", Env: []string{"ALIBABA_CLOUD_ROLE_ARN"}, Description: "The role to assume."},
			{Name: "oidc_token", Env: []string{"ALIBABA_CLOUD_OIDC_TOKEN"}, Sensitive: true, ConflictsWith: "oidc_token_file",
				Description: "The OIDC token."},
			{Name: "oidc_token_file", Env: []string{"ALIBABA_CLOUD_OIDC_TOKEN_FILE"}, ConflictsWith: "oidc_token",
				Description: "A file holding the OIDC token, read again at each refresh (CI systems and RRSA rotate it)."},
			{Name: "role_session_name", Description: "The role session name. Default: `" + DefaultSessionName + "`."},
			{Name: "policy", Description: "A policy (JSON) further restricting the role's permissions."},
			expiration("session_expiration", nil),
		}},
}}

func expiration(name string, env []string) credchain.Setting {
	return credchain.Setting{Name: name, Env: env, Kind: credchain.Int, Min: MinDuration, Max: MaxDuration,
		Description: fmt.Sprintf("Lifetime of the STS credentials in seconds, %d to %d. Default: %d.", MinDuration, MaxDuration, DefaultDuration)}
}
