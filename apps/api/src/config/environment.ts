// The settings live in libs/config so that the API, the CLI and the projector validate them alike.
export * from '#config';
