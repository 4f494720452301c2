# A pipeline trades its OIDC id token for Huawei Cloud temporary
# credentials. The settings usually come from the environment alone
# (HW_ASSUME_ROLE_IDP_ID with HW_ASSUME_ROLE_ID_TOKEN_FILE); written out
# here, they are:
provider "opsaudit" {
  huaweicloud {
    region = "cn-north-4"
    assume_role_with_oidc {
      idp_id        = "github-actions"                   # identity provider registered in IAM
      domain_id     = "0a1b2c3d4e5f60718293a4b5c6d7e8f9" # the account that owns it
      id_token_file = "/tmp/oidc/huaweicloud-id-token"   # re-read at each refresh
      duration      = 3600
    }
  }
}

data "opsaudit_huaweicloud_workspace_script_execution_records" "hardening" {
  script_names       = ["harden-desktop"]
  execute_time_start = timeadd(plantimestamp(), "-24h")
}
