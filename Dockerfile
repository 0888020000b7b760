# Carnet: a static binary on a distroless base, run as a non-root user
# (distroless' nonroot, uid and gid 65532) that owns the data volume.
#   docker build -t carnet --build-arg VERSION=$(git describe --always) .
#   docker run -p 8080:8080 -v carnet-data:/data carnet serve --demo
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://… carnet serve
# A host directory mounted on /data must belong to 65532 (chown 65532:65532).
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /carnet ./cmd/carnet
# The data directory, created here (distroless has no shell) and copied
# with its owner: Docker fills a new named volume from the image, owner
# included, so the server can write its SQLite file and documents there.
RUN mkdir -p /data && chmod 0750 /data

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /carnet /carnet
COPY --from=build --chown=65532:65532 /data /data
ENV CARNET_ADDR=:8080 CARNET_DATA_DIR=/data DATABASE_URL=sqlite:/data/carnet.db CARNET_ENV=production
VOLUME /data
EXPOSE 8080
# Numeric, so that Kubernetes' runAsNonRoot can check it.
USER 65532:65532
ENTRYPOINT ["/carnet"]
CMD ["serve"]
