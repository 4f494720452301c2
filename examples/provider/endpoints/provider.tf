# Endpoint overrides, e.g. for a private or regional gateway. Keys are
# checked at plan time: an unknown key is an error listing the known ones.
# Each key can also come from the environment (HW_ENDPOINT_IAM,
# HW_ENDPOINT_WORKSPACE, HW_ENDPOINT_SECMASTER, ALIBABA_CLOUD_ENDPOINT_OOS).
provider "opsaudit" {
  huaweicloud {
    region = "cn-north-4"
    endpoints = {
      iam       = "https://iam.cn-north-4.myhuaweicloud.com"
      workspace = "https://workspace.cn-north-4.myhuaweicloud.com"
      secmaster = "https://secmaster.cn-north-4.myhuaweicloud.com"
    }
  }

  alicloud {
    region = "cn-hangzhou"
    endpoints = {
      oos = "https://oos.cn-hangzhou.aliyuncs.com"
    }
  }
}
