/** The read-model DataSource (TypeORM) that projections write and queries read. */
export const READ_MODELS = Symbol('ReadModels');
