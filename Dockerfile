# The plugit command in a small image: the standalone proxy, the example
# services and the developer tools. Build with
#
#   docker build --build-arg VERSION=v0.1.0 --build-arg COMMIT=$(git rev-parse HEAD) -t plugit-go .
#
# and run the demo with
#
#   docker run --rm -p 4000:4000 -v plugit-data:/data plugit-go

FROM golang:1.26 AS build
WORKDIR /src

# Download modules in their own layer, so that a source change reuses it.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
ARG VERSION=""
ARG COMMIT=""
# modernc.org/sqlite is pure Go, so the binary needs no C library and
# runs on an image without one.
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/plugit-go/plugit/internal/cli.Version=${VERSION} -X github.com/plugit-go/plugit/internal/cli.Commit=${COMMIT}" \
      -o /out/plugit ./cmd/plugit \
 && mkdir /out/data

# distroless/static has CA certificates, time zones and a nonroot user
# (uid 65532), and no shell.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/plugit /usr/local/bin/plugit
# /data belongs to the nonroot user, so that a volume mounted there, which
# Docker creates from the image's folder, is writable.
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
WORKDIR /data
EXPOSE 4000
ENTRYPOINT ["/usr/local/bin/plugit"]
CMD ["demo", "--listen", "0.0.0.0:4000", "--db", "/data/polls.db"]
