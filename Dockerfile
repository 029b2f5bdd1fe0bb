# The image docker-compose.yml runs. .NET 10 container images are Ubuntu 24.04 based; the lab machines are still
# Debian bookworm, built by debootstrap at first start into the lab-data volume.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends gcc libc6-dev make libseccomp-dev pkg-config npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN if [ -x scripts/libman-restore ]; then scripts/libman-restore; fi \
 && dotnet publish src/Lab.Web -c Release -o /opt/lab --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends debootstrap debian-archive-keyring gpgv wget busybox-static e2fsprogs mount \
        ca-certificates iproute2 libseccomp2 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /opt/lab /opt/lab
COPY labs /opt/lab/labs
COPY scripts/docker-entrypoint /usr/local/bin/lab-entrypoint
ENV PATH=/opt/lab:$PATH \
    LAB_DATA=/var/lib/lab \
    LAB_URLS=http://0.0.0.0:5080
WORKDIR /opt/lab
VOLUME /var/lib/lab
EXPOSE 5080
ENTRYPOINT ["lab-entrypoint"]
CMD ["lab", "serve"]
