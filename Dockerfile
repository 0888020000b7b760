# Carnet: a static binary on a distroless base, run as a non-root user.
#   docker build -t carnet --build-arg VERSION=$(git describe --always) .
#   docker run -p 8080:8080 -e DATABASE_URL=postgres://… carnet serve
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /carnet ./cmd/carnet

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /carnet /carnet
ENV CARNET_ADDR=:8080 CARNET_DATA_DIR=/data DATABASE_URL=sqlite:/data/carnet.db CARNET_ENV=production
VOLUME /data
EXPOSE 8080
USER nonroot:nonroot
ENTRYPOINT ["/carnet"]
CMD ["serve"]
