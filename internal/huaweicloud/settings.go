package huaweicloud

import (
	"fmt"

	"github.com/opsaudit/terraform-provider-opsaudit/internal/credchain"
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

// Settings is every setting of the provider's huaweicloud block but
// endpoints: names, environment variables in the order the huaweicloud
// provider and the official SDK read them, secrecy and validity. The
// provider renders its schema, its unknown-value checks and its
// environment fallback from it; the credential chain (chain.go) reads the
// resolved values and names settings in errors through it.
var Settings = &credchain.Table{Block: "huaweicloud", Blocks: []credchain.Block{
	{Settings: []credchain.Setting{
		{Name: "region", Env: []string{"HW_REGION_NAME"},
			Description: "Region, e.g. `cn-north-4`. Data sources can override it with `region`."},
		{Name: "project_id", Env: []string{"HW_PROJECT_ID"}, Pattern: `^[A-Za-z0-9_-]{1,128}$`, Rule: ProjectIDRule,
			Description: "Project ID, " + ProjectIDRule + " (it becomes a segment of every request path). When unset, the project named " +
				"after the region is looked up once through IAM (`GET /v3/projects?name={region}`). An id from the environment or IAM " +
				"that is not one path segment fails the read."},
		{Name: "access_key", Env: []string{"HW_ACCESS_KEY", "OS_ACCESS_KEY", "HUAWEICLOUD_SDK_AK"}, Sensitive: true,
			Description: "Access key (AK)."},
		{Name: "secret_key", Env: []string{"HW_SECRET_KEY", "OS_SECRET_KEY", "HUAWEICLOUD_SDK_SK"}, Sensitive: true,
			Description: "Secret key (SK)."},
		{Name: "security_token", Env: []string{"HW_SECURITY_TOKEN", "HUAWEICLOUD_SDK_SECURITY_TOKEN"}, Sensitive: true,
			Description: "Security token of temporary credentials, sent as `X-Security-Token`."},
		{Name: "cloud", Env: []string{"HW_CLOUD"},
			Description: "Cloud domain suffix. When set, every service is at `https://{service}.{region}.{cloud}`. Unset, each service " +
				"is at the host the official SDK's region tables give it: `https://{service}.{region}." + DefaultCloud + "`, except IAM " +
				"in `eu-west-101` (`https://iam.eu-west-101.myhuaweicloud.eu`)."},
		{Name: "shared_config_file", Env: []string{"HW_SHARED_CONFIG_FILE"},
			Description: "The KooCLI configuration file (profiles of mode `AKSK` or `SSO`; a profile with `agencyName` and " +
				"`agencyDomainName` or `agencyDomainId` assumes that agency with its keys). Default: `" + DefaultSharedConfigFile +
				"`. The file is read only when this or `profile` is set."},
		{Name: "profile", Env: []string{"HW_PROFILE"},
			Description: "The KooCLI profile to take credentials from (and the region, when `region` is not set). Default: the " +
				"file's `current` profile."},
		{Name: "use_ecs_metadata", Env: []string{"HW_USE_ECS_METADATA"}, Kind: credchain.Bool,
			Description: "Take the temporary credentials of the ECS instance's agency from the instance metadata service " +
				"(`endpoints.metadata`: a session token from `PUT /meta-data/latest/api/token`, then " +
				"`GET /openstack/latest/securitykey`), refreshed before they expire. Instance metadata is contacted only when this " +
				"is `true`."},
	}},
	{Name: credchain.BlockAssumeRole, Repeats: true,
		Description: "Trade the credentials found for an agency's temporary credentials. With `domain_name`: IAM " +
			"`POST /v3.0/OS-CREDENTIAL/securitytokens` (method `assume_role`); with `domain_id`: IAM v5 `POST {sts}/v5/agencies/assume` " +
			"with the agency URN `iam::{domain_id}:agency:{agency_name}`. Several blocks form a chain, in order: each assumes its " +
			"agency with the credentials of the one before. `HW_ASSUME_ROLE_AGENCY_NAME` without an identity provider " +
			"(`HW_ASSUME_ROLE_IDP_ID`) selects it from the environment alone.",
		Settings: []credchain.Setting{
			{Name: "agency_name", Env: []string{"HW_ASSUME_ROLE_AGENCY_NAME"}, Description: "The agency to assume."},
			{Name: "domain_name", Env: []string{"HW_ASSUME_ROLE_DOMAIN_NAME"}, ConflictsWith: "domain_id",
				Description: "The name of the account (domain) that owns the agency: assumed through IAM v3."},
			{Name: "domain_id", Env: []string{"HW_ASSUME_ROLE_DOMAIN_ID"}, ConflictsWith: "domain_name",
				Description: "The ID of the account (domain) that owns the agency: assumed through IAM v5 (`endpoints.sts`)."},
			duration([]string{"HW_ASSUME_ROLE_DURATION"}),
		}},
	{Name: credchain.BlockOIDC,
		Description: "Trade an OIDC id token (from a CI system) for temporary credentials: IAM `POST /v3.0/OS-AUTH/id-token/tokens`, " +
			"then `POST /v3.0/OS-CREDENTIAL/securitytokens` with that token. With `agency_name` and `domain_id`, those credentials " +
			"then assume the agency through IAM v5, as the huaweicloud provider does. `HW_ASSUME_ROLE_IDP_ID` with a token or a " +
			"token file selects it from the environment alone.",
		Settings: []credchain.Setting{
			{Name: "idp_id", Env: []string{"HW_ASSUME_ROLE_IDP_ID", "HUAWEICLOUD_SDK_IDP_ID"},
				Description: "The identity provider registered in IAM."},
			{Name: "id_token", Env: []string{"HW_ASSUME_ROLE_ID_TOKEN"}, Sensitive: true, ConflictsWith: "id_token_file",
				Description: "The OIDC id token. Wins over `id_token_file` from the environment."},
			{Name: "id_token_file", Env: []string{"HW_ASSUME_ROLE_ID_TOKEN_FILE", "HUAWEICLOUD_SDK_ID_TOKEN_FILE"}, ConflictsWith: "id_token",
				Description: "A file holding the OIDC id token, read again at each refresh (CI systems rotate it)."},
			{Name: "agency_name", Env: []string{"HW_ASSUME_ROLE_AGENCY_NAME"},
				Description: "An agency the exchanged credentials then assume (IAM v5, with `domain_id`)."},
			{Name: "domain_id", Env: []string{"HW_ASSUME_ROLE_DOMAIN_ID"},
				Description: "The ID of the account (domain) that owns `agency_name`."},
			duration(nil),
		}},
}}

func duration(env []string) credchain.Setting {
	return credchain.Setting{Name: "duration", Env: env, Kind: credchain.Int, Min: MinDuration, Max: MaxDuration,
		Description: fmt.Sprintf("Lifetime of the temporary credentials in seconds, %d to %d. Default: %d.", MinDuration, MaxDuration, DefaultDuration)}
}
