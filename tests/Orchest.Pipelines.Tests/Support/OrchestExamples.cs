namespace Orchest.Pipelines.Tests.Support;

/// <summary>Two real Orchest pipeline files (cypress fixtures of orchest/orchest), verbatim; both are version 1.0.0.</summary>
public static class OrchestExamples
{
    /// <summary>cypress/fixtures/custom/projects/data-passing/data-passing.orchest</summary>
    public const string DataPassing = """
        {
            "name": "data-passing",
            "parameters": {},
            "settings": {
                "auto_eviction": false,
                "data_passing_memory_size": "1GB"
            },
            "steps": {
                "a21f3559-911d-4f16-b1bc-a615909ad892": {
                    "environment": "bb37767a-2e1a-4da3-9468-8c9ba1c91a6b",
                    "file_path": "A.ipynb",
                    "incoming_connections": [],
                    "kernel": {
                        "display_name": "Python 3",
                        "name": "python"
                    },
                    "meta_data": {
                        "hidden": false,
                        "position": [
                            95.5,
                            235
                        ]
                    },
                    "parameters": {
                        "input_data": {},
                        "input_data_name": null
                    },
                    "title": "A",
                    "uuid": "a21f3559-911d-4f16-b1bc-a615909ad892"
                },
                "f0079cf0-240a-4178-a0d9-29eb064f7c5a": {
                    "environment": "bb37767a-2e1a-4da3-9468-8c9ba1c91a6b",
                    "file_path": "B.ipynb",
                    "incoming_connections": [
                        "a21f3559-911d-4f16-b1bc-a615909ad892"
                    ],
                    "kernel": {
                        "display_name": "Python 3",
                        "name": "python"
                    },
                    "meta_data": {
                        "hidden": false,
                        "position": [
                            93.5,
                            339
                        ]
                    },
                    "parameters": {
                        "test-output-file": "test-output.json"
                    },
                    "title": "B",
                    "uuid": "f0079cf0-240a-4178-a0d9-29eb064f7c5a"
                }
            },
            "uuid": "6698ed48-c20c-409b-a96d-b0a1c4a76bdf",
            "version": "1.0.0"
        }
        """;

    /// <summary>cypress/fixtures/custom/projects/services-connectivity/services_connectivity.orchest (pre-k8s services).</summary>
    public const string ServicesConnectivity = """
        {
            "name": "services-connectivity",
            "parameters": {},
            "services": {
                "postgres": {
                    "env_variables": {
                        "POSTGRES_HOST_AUTH_METHOD": "trust"
                    },
                    "image": "postgres",
                    "name": "postgres",
                    "scope": [
                        "interactive",
                        "noninteractive"
                    ]
                },
                "redis": {
                    "image": "redis",
                    "name": "redis",
                    "scope": [
                        "interactive",
                        "noninteractive"
                    ]
                },
                "streamlit": {
                    "binds": {
                        "/data": "/data",
                        "/project-dir": "/usr/src/app/src"
                    },
                    "command": "-c 'umask 002 && touch /usr/src/app/src/streamlit.py && streamlit run src/streamlit.py'",
                    "entrypoint": "bash",
                    "env_variables": {
                        "STREAMLIT_SERVER_BASE_URL_PATH": "$BASE_PATH_PREFIX_8501"
                    },
                    "image": "orchest/streamlit",
                    "name": "streamlit",
                    "ports": [
                        8501
                    ],
                    "preserve_base_path": true,
                    "scope": [
                        "interactive",
                        "noninteractive"
                    ]
                },
                "tensorboard": {
                    "binds": {
                        "/data": "/data"
                    },
                    "command": "-c 'umask 002 && tensorboard --logdir /data --host 0.0.0.0'",
                    "entrypoint": "bash",
                    "image": "tensorflow/tensorflow",
                    "name": "tensorboard",
                    "ports": [
                        6006
                    ],
                    "scope": [
                        "interactive"
                    ]
                },
                "vscode": {
                    "binds": {
                        "/project-dir": "/home/coder/code-server"
                    },
                    "command": "-c 'umask 002 && code-server --auth none --bind-addr 0.0.0.0:8080 /home/coder/code-server'",
                    "entrypoint": "bash",
                    "image": "codercom/code-server:latest",
                    "name": "vscode",
                    "ports": [
                        8080
                    ],
                    "scope": [
                        "interactive"
                    ]
                }
            },
            "settings": {
                "auto_eviction": false,
                "data_passing_memory_size": "1GB"
            },
            "steps": {
                "6b1c5931-8bf7-4587-b3ae-06f7ee5ccb8a": {
                    "environment": "30cfd18d-c5ec-4651-8a9b-6e12c36fc3b5",
                    "file_path": "services-connectivity.ipynb",
                    "incoming_connections": [],
                    "kernel": {
                        "display_name": "Python 3",
                        "name": "python"
                    },
                    "meta_data": {
                        "hidden": false,
                        "position": [
                            170.3127159640636,
                            265.03317208016585
                        ]
                    },
                    "parameters": {
                        "postgres-services": [
                            "postgres"
                        ],
                        "redis-services": [
                            "redis"
                        ],
                        "test-output-file": "test-output.json"
                    },
                    "title": "services-connectivity",
                    "uuid": "6b1c5931-8bf7-4587-b3ae-06f7ee5ccb8a"
                }
            },
            "uuid": "90fe72b1-c967-4de7-b027-f68311b93049",
            "version": "1.0.0"
        }
        """;
}
