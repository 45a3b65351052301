// Orchest.Functions on Azure Functions (README "Deploying to Azure Functions", infra/azure/README.md):
// a storage account (runs, outputs, logs and the Durable Task hub), a Function App for the isolated
// worker in functions/Orchest.Functions.Azure on a Flex Consumption or Elastic Premium plan, its
// settings, and the API key as a host key. Deploy into a resource group:
//   az deployment group create -g <group> -f infra/azure/main.bicep -p infra/azure/main.bicepparam
targetScope = 'resourceGroup'

@description('Prefix of every resource name: lower-case letters and digits.')
@minLength(3)
@maxLength(11)
param name string = 'orchest'

param location string = resourceGroup().location

@description('FlexConsumption (scales to zero, no custom container) or ElasticPremium (always-ready instances; custom containers possible).')
@allowed([
  'FlexConsumption'
  'ElasticPremium'
])
param hostingPlan string = 'FlexConsumption'

@description('The .NET version of the isolated worker (functions/Orchest.Functions.Azure targets net10.0).')
param dotnetVersion string = '10.0'

@description('Flex Consumption: memory of each instance (MB).')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Flex Consumption: most instances the app scales out to. Elastic Premium: burst limit.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 20

@description('Elastic Premium: the plan size.')
@allowed([
  'EP1'
  'EP2'
  'EP3'
])
param premiumSku string = 'EP1'

@description('The API key callers send in x-functions-key or ?code= (a host key named "orchest").')
@secure()
@minLength(16)
param apiKey string

@description('Base64 of 32 random bytes (openssl rand -base64 32): encrypts run environment values at rest. Keep it: runs stored under another key cannot be read.')
@secure()
param secretsKey string

@description('How steps run: "process" (interpreters of the Functions image) or "docker" (dockerEndpoint).')
@allowed([
  'process'
  'docker'
])
param stepRunner string = 'process'

@description('Docker Engine API for stepRunner "docker", e.g. tcp://10.0.0.4:2375 (must see this app\'s working copies; infra/azure/README.md).')
param dockerEndpoint string = ''

var suffix = uniqueString(resourceGroup().id, name)
var storageName = take('${name}${suffix}', 24)
var appName = '${name}-${suffix}'
var isFlex = hostingPlan == 'FlexConsumption'
var deploymentContainer = 'app-package'

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    // Steps get SAS URLs for their inputs and outputs and the secrets key may derive from the account
    // key, so the engine uses a key-based connection string (not an identity).
    allowSharedKeyAccess: true
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

// Flex Consumption deploys the published app as a package in this container.
resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = if (isFlex) {
  parent: blobs
  name: deploymentContainer
}

// Elastic Premium keeps the app's content on a file share.
resource files 'Microsoft.Storage/storageAccounts/fileServices@2023-05-01' = if (!isFlex) {
  parent: storage
  name: 'default'
}

resource contentShare 'Microsoft.Storage/storageAccounts/fileServices/shares@2023-05-01' = if (!isFlex) {
  parent: files
  name: appName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan-${suffix}'
  location: location
  kind: isFlex ? 'functionapp' : 'elastic'
  sku: isFlex
    ? {
        name: 'FC1'
        tier: 'FlexConsumption'
      }
    : {
        name: premiumSku
        tier: 'ElasticPremium'
      }
  properties: {
    reserved: true // Linux
    maximumElasticWorkerCount: isFlex ? null : maximumInstanceCount
  }
}

var connectionString = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

// What the engine reads (README "Served-mode configuration"); `__` separates sections.
var orchestSettings = [
  {
    name: 'AzureWebJobsStorage'
    value: connectionString
  }
  {
    name: 'Orchest__SecretsKey'
    value: secretsKey
  }
  {
    name: 'Orchest__Runner'
    value: stepRunner
  }
  {
    name: 'Orchest__Runners__Docker__Endpoint'
    value: dockerEndpoint
  }
  {
    // Mirrors, commits and working copies on the instance's local disk (lost when it goes; rebuilt on demand).
    name: 'Orchest__Git__CacheDirectory'
    value: '/tmp/orchest-git'
  }
]

// Flex Consumption sets the runtime in functionAppConfig and rejects FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION as settings; Elastic Premium needs them and its content share.
var premiumSettings = [
  {
    name: 'FUNCTIONS_EXTENSION_VERSION'
    value: '~4'
  }
  {
    name: 'FUNCTIONS_WORKER_RUNTIME'
    value: 'dotnet-isolated'
  }
  {
    name: 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING'
    value: connectionString
  }
  {
    name: 'WEBSITE_CONTENTSHARE'
    value: appName
  }
]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    functionAppConfig: isFlex
      ? {
          deployment: {
            storage: {
              type: 'blobContainer'
              value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
              authentication: {
                type: 'StorageAccountConnectionString'
                storageAccountConnectionStringName: 'AzureWebJobsStorage'
              }
            }
          }
          runtime: {
            name: 'dotnet-isolated'
            version: dotnetVersion
          }
          scaleAndConcurrency: {
            instanceMemoryMB: instanceMemoryMB
            maximumInstanceCount: maximumInstanceCount
          }
        }
      : null
    siteConfig: {
      linuxFxVersion: isFlex ? null : 'DOTNET-ISOLATED|${dotnetVersion}'
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: isFlex ? orchestSettings : concat(orchestSettings, premiumSettings)
    }
  }
  dependsOn: [
    packages
    contentShare
  ]
}

// The Functions host checks this key (x-functions-key or ?code=) before any HTTP trigger runs, as
// ORCHEST_API_KEY is checked by `orchest serve`. A documented resource type (Functions' "work with
// access keys") that Bicep's type index lacks, hence the suppressed "no types available" warning.
#disable-next-line BCP081
resource apiHostKey 'Microsoft.Web/sites/host/functionKeys@2022-09-01' = {
  name: '${app.name}/default/orchest'
  properties: {
    name: 'orchest'
    value: apiKey
  }
}

output functionAppName string = app.name
output storageAccountName string = storage.name
output apiBaseUrl string = 'https://${app.properties.defaultHostName}/api'
