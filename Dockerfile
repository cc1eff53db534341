# syntax=docker/dockerfile:1
#
# One image for every verb of the `botburrow` executable.
#
#   docker build -t ghcr.io/botburrow/botburrow-agents:0.1.0 .
#   docker build --target runner -t ghcr.io/botburrow/botburrow-agents-runner:0.1.0 .
#
# The default target (`runtime`) runs the coordinator, the dev Hub and the operations verbs.
# The `runner` target adds Node.js and the CLI executors; each executor is installed only when its
# version argument is not empty (for example --build-arg AIDER_VERSION= leaves aider out).

ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0.401
ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0.12
ARG NODE_IMAGE=node:22.20.0-bookworm-slim

# ---------------------------------------------------------------------------------------------
# build: restore and publish the CLI (framework-dependent, with the `botburrow` apphost)
# ---------------------------------------------------------------------------------------------
FROM ${SDK_IMAGE} AS build
WORKDIR /source
COPY global.json Directory.Build.props Directory.Packages.props BannedSymbols.txt .editorconfig ./
COPY src/ src/
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet restore src/Botburrow.Cli/Botburrow.Cli.csproj
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish src/Botburrow.Cli/Botburrow.Cli.csproj \
        --configuration Release \
        --no-restore \
        --output /app \
        -p:UseAppHost=true

# ---------------------------------------------------------------------------------------------
# app: the ASP.NET Core runtime, the published executable, bubblewrap (the sandbox CLI tools and
# MCP servers run in; SANDBOX) and the tools the operator's guide runs inside pods (curl for the
# Hub health check, redis-cli for Valkey, nslookup, git)
# ---------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE} AS app
RUN apt-get update \
    && apt-get install -y --no-install-recommends bind9-dnsutils bubblewrap ca-certificates curl git redis-tools tini \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/ /app/
RUN ln -s /app/botburrow /usr/local/bin/botburrow \
    && mkdir -p /configs \
    && chown 1654:1654 /configs
ENV DOTNET_NOLOGO=1
# 9090: coordinator metrics, health and dashboard; 9091: runner metrics and health.
EXPOSE 9090 9091
# The `app` user (UID 1654) that the .NET images ship; numeric so Kubernetes can verify runAsNonRoot.
USER 1654:1654
ENTRYPOINT ["/usr/bin/tini", "--", "/app/botburrow"]
CMD ["coordinator"]

# ---------------------------------------------------------------------------------------------
# runner: the app plus Node.js and the CLI executors (claude-code, goose, aider, opencode)
# ---------------------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS node

FROM app AS runner
ARG CLAUDE_CODE_VERSION=2.1.332
ARG OPENCODE_VERSION=1.18.33
ARG AIDER_VERSION=0.86.1
ARG GOOSE_VERSION=v1.27.2
USER root
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY --from=node /usr/local/lib/node_modules /usr/local/lib/node_modules
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
    && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
    && node --version && npm --version
# claude-code and opencode from npm.
RUN if [ -n "${CLAUDE_CODE_VERSION}" ]; then npm install -g "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}"; fi \
    && if [ -n "${OPENCODE_VERSION}" ]; then npm install -g "opencode-ai@${OPENCODE_VERSION}"; fi \
    && npm cache clean --force
# aider from PyPI into its own virtual environment.
RUN if [ -n "${AIDER_VERSION}" ]; then \
        apt-get update \
        && apt-get install -y --no-install-recommends python3 python3-venv \
        && rm -rf /var/lib/apt/lists/* \
        && python3 -m venv /opt/aider \
        && /opt/aider/bin/pip install --no-cache-dir "aider-chat==${AIDER_VERSION}" \
        && ln -s /opt/aider/bin/aider /usr/local/bin/aider; \
    fi
# goose as the release binary of block/goose (GOOSE_VERSION is a release tag such as v1.27.2).
ARG TARGETARCH
RUN if [ -n "${GOOSE_VERSION}" ]; then \
        case "${TARGETARCH:-amd64}" in amd64) arch=x86_64 ;; arm64) arch=aarch64 ;; *) echo "unsupported arch ${TARGETARCH}" >&2; exit 1 ;; esac \
        && apt-get update \
        && apt-get install -y --no-install-recommends bzip2 \
        && rm -rf /var/lib/apt/lists/* \
        && mkdir -p /tmp/goose \
        && curl -fsSL "https://github.com/block/goose/releases/download/${GOOSE_VERSION}/goose-${arch}-unknown-linux-gnu.tar.bz2" \
            | tar -xj -C /tmp/goose \
        && install -m 0755 "$(find /tmp/goose -type f -name goose | head -n 1)" /usr/local/bin/goose \
        && rm -rf /tmp/goose \
        && goose --version; \
    fi
USER 1654:1654
ENV HOME=/home/app
ENTRYPOINT ["/usr/bin/tini", "--", "/app/botburrow"]
CMD ["runner", "--mode", "hybrid"]

# ---------------------------------------------------------------------------------------------
# runtime (default target): the app as is
# ---------------------------------------------------------------------------------------------
FROM app AS runtime
