# On a workstation: the profiles of the clouds' own CLIs. KooCLI
# (~/.hcloud/config.json, modes AKSK and SSO; a profile naming an agency
# assumes it) and the aliyun CLI (~/.aliyun/config.json, modes AK,
# StsToken, RamRoleArn, ChainableRamRoleArn, EcsRamRole, OIDC,
# CredentialsURI; or the SDKs' INI file ~/.alibabacloud/credentials).
# HW_PROFILE and ALICLOUD_PROFILE (or ALIBABA_CLOUD_PROFILE) select them
# as well.
provider "opsaudit" {
  huaweicloud {
    region             = "cn-north-4"
    shared_config_file = "~/.hcloud/config.json"
    profile            = "audit"
  }
  alicloud {
    region                  = "cn-hangzhou"
    shared_credentials_file = "~/.aliyun/config.json"
    profile                 = "audit"
  }
}
