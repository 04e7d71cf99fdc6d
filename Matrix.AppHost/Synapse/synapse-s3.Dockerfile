# Synapse with synapse-s3-storage-provider, so media offloaded to S3 (by the media janitor) is read back from there.
# Built by the AppHost (Synapse/SynapseResourceExtensions.cs); the versions are passed as build arguments from
# ContainerImages.cs. The provider is not published on PyPI: it is installed from its release archive.
ARG SYNAPSE_IMAGE=docker.io/matrixdotorg/synapse:v1.157.1
FROM ${SYNAPSE_IMAGE}
ARG S3_STORAGE_PROVIDER_VERSION=v1.5.0
RUN pip install --no-cache-dir \
      "https://github.com/matrix-org/synapse-s3-storage-provider/archive/refs/tags/${S3_STORAGE_PROVIDER_VERSION}.tar.gz"
