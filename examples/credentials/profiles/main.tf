# On a workstation: the profiles of the clouds' own CLIs. KooCLI
# (~/.hcloud/config.json, modes AKSK and SSO) and the aliyun CLI
# (~/.aliyun/config.json, modes AK, StsToken, RamRoleArn, EcsRamRole,
# OIDC). HW_PROFILE and ALIBABA_CLOUD_PROFILE select them as well.
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
