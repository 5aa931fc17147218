/** Small JSON client for MLflow's REST API in tests. */
export interface MlflowResponse {
  status: number;
  body: any;
}

export interface MlflowHttp {
  post(path: string, body?: unknown, method?: string): Promise<MlflowResponse>;
  get(path: string, query?: Record<string, string | string[]>): Promise<MlflowResponse>;
}

export function mlflowHttp(baseUrl: string, prefix = '/api/2.0/mlflow'): MlflowHttp {
  const parse = async (response: Response): Promise<MlflowResponse> => {
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text) };
  };
  return {
    post: async (path, body = {}, method = 'POST') =>
      parse(
        await fetch(`${baseUrl}${prefix}${path}`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        }),
      ),
    get: async (path, query = {}) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query)) {
        for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
      }
      return parse(await fetch(`${baseUrl}${prefix}${path}?${params}`));
    },
  };
}
