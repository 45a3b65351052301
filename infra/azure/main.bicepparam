// Parameters of main.bicep. Secrets come from the environment of the deploying shell, never from git:
//   export ORCHEST_API_KEY="$(openssl rand -hex 24)" ORCHEST_SECRETS_KEY="$(openssl rand -base64 32)"
using 'main.bicep'

param name = 'orchest'
param hostingPlan = 'FlexConsumption'
param dotnetVersion = '10.0'
param instanceMemoryMB = 2048
param maximumInstanceCount = 20
param stepRunner = 'process'
param apiKey = readEnvironmentVariable('ORCHEST_API_KEY')
param secretsKey = readEnvironmentVariable('ORCHEST_SECRETS_KEY')
