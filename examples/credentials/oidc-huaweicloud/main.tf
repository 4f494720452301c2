# A pipeline trades its OIDC id token for Huawei Cloud temporary
# credentials, which then assume an agency through IAM v5, as the
# huaweicloud provider does. The settings usually come from the
# environment alone (HW_ASSUME_ROLE_IDP_ID, HW_ASSUME_ROLE_ID_TOKEN_FILE,
# HW_ASSUME_ROLE_AGENCY_NAME, HW_ASSUME_ROLE_DOMAIN_ID); written out
# here, they are:
provider "opsaudit" {
  huaweicloud {
    region = "cn-north-4"
    assume_role_with_oidc {
      idp_id        = "github-actions"                   # identity provider registered in IAM
      id_token_file = "/tmp/oidc/huaweicloud-id-token"   # re-read at each refresh
      agency_name   = "opsaudit-auditor"                 # optional: the agency then assumed
      domain_id     = "0a1b2c3d4e5f60718293a4b5c6d7e8f9" # the account that owns it
      duration      = 3600
    }
  }
}

data "opsaudit_huaweicloud_workspace_script_execution_records" "hardening" {
  script_names       = ["harden-desktop"]
  execute_time_start = timeadd(plantimestamp(), "-24h")
}
