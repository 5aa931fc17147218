import { stringify } from 'yaml';

/** Grafana's datasource provisioning file for the Prometheus server that scrapes Foghorn. */
export function datasourceProvisioning(prometheusUrl: string): string {
  return stringify({
    apiVersion: 1,
    datasources: [
      {
        name: 'Prometheus (Foghorn)',
        uid: 'foghorn-prometheus',
        type: 'prometheus',
        access: 'proxy',
        url: prometheusUrl,
        isDefault: false,
      },
    ],
  });
}

/** Grafana's dashboard provisioning file that loads the dashboards in `dashboardsDir`. */
export function dashboardProvisioning(dashboardsDir: string): string {
  return stringify({
    apiVersion: 1,
    providers: [
      {
        name: 'foghorn',
        folder: 'Foghorn',
        type: 'file',
        disableDeletion: false,
        allowUiUpdates: true,
        options: { path: dashboardsDir },
      },
    ],
  });
}
