# Temporary credentials: an STS token beside the temporary key pair.
# Usually all of it comes from the environment of the pipeline:
#   HW_ACCESS_KEY, HW_SECRET_KEY, HW_SECURITY_TOKEN, HW_REGION_NAME
#   ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET,
#   ALIBABA_CLOUD_SECURITY_TOKEN, ALIBABA_CLOUD_REGION
provider "opsaudit" {}
